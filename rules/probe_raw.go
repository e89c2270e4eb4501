package rules

// Helpers for the probe rules ported from Rego (probe-timing-values,
// probe-handlers, probe-success-threshold): the lib's probe_kinds,
// probe_name and probes, over rawPod.Containers.

// rawProbeKinds are the lib's probe_kinds, and rawProbeNames how messages
// call each (the lib's probe_name).
var (
	rawProbeKinds = [...]string{"livenessProbe", "readinessProbe", "startupProbe"}
	rawProbeNames = [...]string{"liveness probe", "readiness probe", "startup probe"}
)

// eachRawProbe calls fn for every probe of p that is a mapping (the lib's
// probes), with the container and the index of its kind in rawProbeKinds.
func eachRawProbe(p rawPod, fn func(c podContainer, kind int, probe map[string]any)) {
	for _, c := range p.Containers() {
		for k, field := range rawProbeKinds {
			if probe, ok := c.M[field].(map[string]any); ok {
				fn(c, k, probe)
			}
		}
	}
}
