package rules

import (
	"context"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubegate/kubegate/engine"
)

// readinessProbeMissing reports containers of long-running workloads
// without a readiness probe.
type readinessProbeMissing struct{}

var readinessProbeMissingMeta = engine.Meta{
	ID:    "readiness-probe-missing",
	Title: "Long-running container has a readiness probe",
	Description: "A pod whose containers have no readiness probe counts as ready as soon as they start. " +
		"Services then send it traffic before the application listens, rolling updates move on to " +
		"the next pod before this one can serve, and a pod that stops serving keeps receiving " +
		"requests because nothing takes it out of the Service's endpoints.",
	Remediation: "Add a readinessProbe that succeeds only when the container can serve requests (an " +
		"httpGet on a readiness endpoint, or a tcpSocket on the serving port).",
	Severity: engine.Warning,
	Kinds:    longRunningKinds,
	Source:   "go",
	DocURL:   DocURL("readiness-probe-missing"),
}

// Meta describes the rule.
func (readinessProbeMissing) Meta() engine.Meta { return readinessProbeMissingMeta }

// Check reports each regular container of a long-running pod without a
// readiness probe, at the container (the nearest existing parent of the
// missing probe).
func (readinessProbeMissing) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	ref, ok := engine.PodSpecOf(obj)
	if !ok {
		return nil, nil
	}
	return missingProbe(obj, ref, readinessProbeMissingMeta, "readinessProbe",
		func(c *corev1.Container) bool { return c.ReadinessProbe != nil }, "container %q has no readiness probe; it receives Service traffic as soon as it starts, ready or not"), nil
}
