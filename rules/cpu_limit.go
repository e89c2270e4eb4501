package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// cpuLimit reports containers without a CPU limit in a pod without a
// pod-level one. It was ported from Rego for speed and reports exactly what
// the policy did.
type cpuLimit struct{}

var cpuLimitMeta = engine.Meta{
	ID:    "cpu-limit",
	Title: "Containers have a CPU limit",
	Description: "Without a CPU limit a container may use every idle core of the node. " +
		"That is often what you want (CPU is throttled, not killed, and limits " +
		"cause throttling even on idle nodes), so this rule is off by default; " +
		"turn it on where tenants must not borrow each other's CPU. Matches " +
		"Polaris' cpuLimitsMissing and the CPU part of kube-score's " +
		"container-resources.",
	Remediation: "Set resources.limits.cpu on the container.",
	Severity:    engine.Warning,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("cpu-limit"),
	Disabled:    true,
}

// Meta describes the rule.
func (cpuLimit) Meta() engine.Meta { return cpuLimitMeta }

// Check reports each container and init container whose
// resources.limits.cpu is unset (missing or null), unless the pod has a
// CPU limit, at the container's resources (whether or not it exists).
func (cpuLimit) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	pod, ok := rawPodOf(obj)
	if !ok || rawSet(pod.Spec, "resources", "limits", "cpu") {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range pod.Containers() {
		if rawSet(c.M, "resources", "limits", "cpu") {
			continue
		}
		out = append(out, engine.NewFinding(cpuLimitMeta, c.Path.Child("resources"),
			"container %q has no CPU limit", containerNameArg(c)))
	}
	return out, nil
}
