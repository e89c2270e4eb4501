package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// ephemeralStorage reports containers without an ephemeral-storage request
// or limit. It was ported from Rego for speed and reports exactly what the
// policy did.
type ephemeralStorage struct{}

var ephemeralStorageMeta = engine.Meta{
	ID:    "ephemeral-storage",
	Title: "Containers request and limit ephemeral storage",
	Description: "Logs, emptyDir volumes without a medium and the container's writable " +
		"layer use the node's disk. Without an ephemeral-storage limit one " +
		"container can fill it, and the kubelet then evicts pods under disk " +
		"pressure; without a request the scheduler does not count the space. " +
		"Off by default, as in kube-score (container-ephemeral-storage-request-and-limit).",
	Remediation: "Set resources.requests and resources.limits for ephemeral-storage on each container.",
	Severity:    engine.Warning,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("ephemeral-storage"),
	Disabled:    true,
}

// Meta describes the rule.
func (ephemeralStorage) Meta() engine.Meta { return ephemeralStorageMeta }

// Check reports each container and init container whose
// resources.requests or resources.limits has no ephemeral-storage (missing
// or null), once for each, at the container's resources (whether or not it
// exists). Pod-level resources do not count, as in the policy.
func (ephemeralStorage) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	pod, ok := rawPodOf(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range pod.Containers() {
		for _, kind := range [...]string{"requests", "limits"} {
			if rawSet(c.M, "resources", kind, "ephemeral-storage") {
				continue
			}
			out = append(out, engine.NewFinding(ephemeralStorageMeta, c.Path.Child("resources"),
				"container %q sets no ephemeral-storage %s", containerNameArg(c), kind))
		}
	}
	return out, nil
}
