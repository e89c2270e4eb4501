package rules

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"

	"github.com/kubegate/kubegate/engine"
)

// probeLivenessEqualsReadiness reports containers whose liveness and
// readiness probes are the same.
type probeLivenessEqualsReadiness struct{}

var probeLivenessEqualsReadinessMeta = engine.Meta{
	ID:    "probe-liveness-equals-readiness",
	Title: "Liveness and readiness probes differ",
	Description: "Readiness and liveness answer different questions: a failing readiness probe takes the " +
		"pod out of its Services' endpoints until it recovers, a failing liveness probe makes the " +
		"kubelet kill and restart the container. When both probes are identical they fail together, " +
		"so a container that is only overloaded or waiting on a dependency is restarted instead of " +
		"being given time to recover, and under load the restarts cascade through every replica. Probes are compared after the API server's " +
		"defaults are filled in, so spelling out failureThreshold: 3 does not make them differ.",
	Remediation: "Make the liveness probe check only that the process is alive (a cheap endpoint that " +
		"does not depend on downstream services) and give it a higher failureThreshold or a longer " +
		"periodSeconds than the readiness probe; keep dependency checks in the readiness probe.",
	Severity: engine.Warning,
	Kinds:    workloadKinds,
	Source:   "go",
	DocURL:   DocURL("probe-liveness-equals-readiness"),
}

// Meta describes the rule.
func (probeLivenessEqualsReadiness) Meta() engine.Meta { return probeLivenessEqualsReadinessMeta }

// Check reports each container whose liveness probe equals its readiness
// probe, at the liveness probe.
func (probeLivenessEqualsReadiness) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	ref, ok := engine.PodSpecOf(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range ref.Containers() {
		l, r := c.Container.LivenessProbe, c.Container.ReadinessProbe
		if l == nil || r == nil || !equality.Semantic.DeepEqual(defaultedProbe(l), defaultedProbe(r)) {
			continue
		}
		out = append(out, engine.NewFinding(probeLivenessEqualsReadinessMeta, c.Path.Child("livenessProbe"),
			"liveness and readiness probes of container %q are identical; when the check fails the pod is removed from Service endpoints and restarted at the same time", c.Container.Name))
	}
	return out, nil
}

// Probe defaults the API server applies (k8s.io/kubernetes
// pkg/apis/core/v1/defaults.go), so that a probe spelling out a default
// equals one that leaves it out.
const (
	defaultProbeTimeoutSeconds   = 1
	defaultProbePeriodSeconds    = 10
	defaultProbeSuccessThreshold = 1
	defaultProbeFailureThreshold = 3
	defaultHTTPGetPath           = "/"
	defaultHTTPGetScheme         = corev1.URISchemeHTTP
)

// defaultedProbe returns a copy of p with the API server's defaults filled
// in. (equality.Semantic already treats nil and empty lists as equal.)
func defaultedProbe(p *corev1.Probe) *corev1.Probe {
	d := p.DeepCopy()
	setDefault(&d.TimeoutSeconds, defaultProbeTimeoutSeconds)
	setDefault(&d.PeriodSeconds, defaultProbePeriodSeconds)
	setDefault(&d.SuccessThreshold, defaultProbeSuccessThreshold)
	setDefault(&d.FailureThreshold, defaultProbeFailureThreshold)
	if h := d.HTTPGet; h != nil {
		if h.Path == "" {
			h.Path = defaultHTTPGetPath
		}
		if h.Scheme == "" {
			h.Scheme = defaultHTTPGetScheme
		}
	}
	// An unset gRPC service and an empty one both mean the server's overall
	// health.
	if g := d.GRPC; g != nil && g.Service != nil && *g.Service == "" {
		g.Service = nil
	}
	return d
}

func setDefault(v *int32, def int32) {
	if *v == 0 {
		*v = def
	}
}
