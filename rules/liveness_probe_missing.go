package rules

import (
	"context"

	corev1 "k8s.io/api/core/v1"

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
	if !ok {
		return nil, nil
	}
	return missingProbe(obj, ref, livenessProbeMissingMeta, "livenessProbe",
		func(c *corev1.Container) bool { return c.LivenessProbe != nil }, "container %q has no liveness probe; the kubelet cannot restart it when it hangs"), nil
}
