package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// livenessProbeMissing reports containers of long-running workloads without
// a liveness probe.
type livenessProbeMissing struct{}

var livenessProbeMissingMeta = engine.Meta{
	ID:    "liveness-probe-missing",
	Title: "Long-running container has a liveness probe",
	Description: "Without a liveness probe the kubelet restarts a container only when its process exits. " +
		"A process that deadlocks, or loops without serving, keeps running and stays in the pod " +
		"forever; nothing restarts it until someone notices.",
	Remediation: "Add a livenessProbe that fails only when the process cannot recover by itself (an " +
		"httpGet on a cheap health endpoint, say), with a failureThreshold and periodSeconds that " +
		"tolerate a slow moment. Keep it different from the readiness probe.",
	Severity: engine.Warning,
	Kinds:    longRunningKinds,
	Source:   "go",
	DocURL:   DocURL("liveness-probe-missing"),
}

// Meta describes the rule.
func (livenessProbeMissing) Meta() engine.Meta { return livenessProbeMissingMeta }

// Check reports each regular container of a long-running pod without a
// liveness probe, at the container (the nearest existing parent of the
// missing probe).
func (livenessProbeMissing) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	ref, ok := engine.PodSpecOf(obj)
	if !ok || ref.Class != engine.LongRunning {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range ref.Containers() {
		if c.Init || c.Container.LivenessProbe != nil {
			continue
		}
		out = append(out, engine.NewFinding(livenessProbeMissingMeta, existing(obj, c.Path.Child("livenessProbe")),
			"container %q has no liveness probe; the kubelet cannot restart it when it hangs", c.Container.Name))
	}
	return out, nil
}
