package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// probeSuccessThreshold reports liveness and startup probes with a
// successThreshold above 1, which the API server rejects. It was ported
// from Rego (rules/rego/probe_success_threshold.rego) for speed, with the
// same findings.
type probeSuccessThreshold struct{}

var probeSuccessThresholdMeta = engine.Meta{
	ID:    "probe-success-threshold",
	Title: "Liveness and startup probes need successThreshold 1",
	Description: "A liveness or startup probe succeeds on its first success; the API server rejects " +
		"any other successThreshold (\"must be 1\"). Only readiness probes may ask for several " +
		"successes in a row.",
	Remediation: "Remove successThreshold from liveness and startup probes, or set it to 1.",
	Severity:    engine.Error,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("probe-success-threshold"),
}

// Meta describes the rule.
func (probeSuccessThreshold) Meta() engine.Meta { return probeSuccessThresholdMeta }

// Check reports every liveness and startup probe of every init container
// and container whose successThreshold is a number above 1, at the field.
func (probeSuccessThreshold) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	pod, ok := rawPodOf(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	eachRawProbe(pod, func(c podContainer, kind int, probe map[string]any) {
		if rawProbeKinds[kind] == "readinessProbe" {
			return
		}
		v := probe["successThreshold"]
		if n, ok := rawNumber(v); ok && n > 1 {
			out = append(out, engine.NewFinding(probeSuccessThresholdMeta, c.Path.Child(rawProbeKinds[kind], "successThreshold"),
				"%s of container %q: successThreshold must be 1, not %v", rawProbeNames[kind], containerNameArg(c), regoArg(v)))
		}
	})
	return out, nil
}
