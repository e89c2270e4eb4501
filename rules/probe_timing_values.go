package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// probeTimingValues reports probe timings the API server rejects (negative
// values, a terminationGracePeriodSeconds that is not positive) or
// silently replaces (an explicit 0 where a default applies). It was ported
// from Rego (rules/rego/probe_timing_values.rego) for speed, with the same
// findings.
type probeTimingValues struct{}

var probeTimingValuesMeta = engine.Meta{
	ID:    "probe-timing-values",
	Title: "Probe timings are positive",
	Description: "The API server rejects a probe whose initialDelaySeconds, timeoutSeconds, " +
		"periodSeconds, successThreshold or failureThreshold is negative, and a " +
		"terminationGracePeriodSeconds that is not positive. An explicit 0 in timeoutSeconds, " +
		"periodSeconds, successThreshold or failureThreshold is accepted but silently replaced by " +
		"the default (1, 10, 1 and 3): a probe written with failureThreshold 0 to mean \"never " +
		"fail\" fails after three misses. Negative values are errors, explicit zeros warnings.",
	Remediation: "Use values of at least 1 (initialDelaySeconds may be 0), or leave the field out to get the default.",
	Severity:    engine.Error,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("probe-timing-values"),
}

// probeTimingFields are the probe's timing fields and the default the API
// server puts in place of an explicit 0 (none for initialDelaySeconds).
var probeTimingFields = [...]struct {
	name string
	def  int
}{
	{"initialDelaySeconds", 0},
	{"timeoutSeconds", 1},
	{"periodSeconds", 10},
	{"successThreshold", 1},
	{"failureThreshold", 3},
}

// Meta describes the rule.
func (probeTimingValues) Meta() engine.Meta { return probeTimingValuesMeta }

// Check reports, for every probe of every init container and container,
// each negative timing and a terminationGracePeriodSeconds that is not
// positive (errors), and each explicit 0 that the API server replaces with
// its default (warnings), at the field.
func (probeTimingValues) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	pod, ok := rawPodOf(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	eachRawProbe(pod, func(c podContainer, kind int, probe map[string]any) {
		for _, f := range probeTimingFields {
			v := probe[f.name]
			n, ok := rawNumber(v)
			switch {
			case !ok:
			case n < 0:
				out = append(out, engine.NewFinding(probeTimingValuesMeta, c.Path.Child(rawProbeKinds[kind], f.name),
					"%s of container %q has %s %v; the API server rejects negative values", rawProbeNames[kind], containerNameArg(c), f.name, regoArg(v)))
			case n == 0 && f.def != 0:
				fd := engine.NewFinding(probeTimingValuesMeta, c.Path.Child(rawProbeKinds[kind], f.name),
					"%s of container %q has %s 0, which the API server replaces with the default %d", rawProbeNames[kind], containerNameArg(c), f.name, f.def)
				// The policy's warn: at most a warning.
				fd.Severity = min(fd.Severity, engine.Warning)
				out = append(out, fd)
			}
		}
		v := probe["terminationGracePeriodSeconds"]
		if n, ok := rawNumber(v); ok && n <= 0 {
			out = append(out, engine.NewFinding(probeTimingValuesMeta, c.Path.Child(rawProbeKinds[kind], "terminationGracePeriodSeconds"),
				"%s of container %q has terminationGracePeriodSeconds %v; the API server requires a positive value", rawProbeNames[kind], containerNameArg(c), regoArg(v)))
		}
	})
	return out, nil
}
