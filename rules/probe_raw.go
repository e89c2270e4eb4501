package rules

// Helpers for probe-timing-values, probe-handlers, probe-success-threshold,
// startup-probe-missing and host-port, which were Rego policies ported to
// Go for speed. They walk obj.Raw exactly as data.lib.kubegate's
// container_refs and probes did, down to the odd shapes the schema rule
// reports (a containers field written as a mapping is iterated by key, as
// Rego's `some i, c in` does; entries that are not mappings are skipped),
// and render values in messages as the policies' sprintf did.

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

// regoTypeRank orders values by type as Rego compares values of different
// types: null < boolean < number < string < array < object.
func regoTypeRank(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case bool:
		return 1
	case int64, float64, int:
		return 2
	case string:
		return 3
	case []any:
		return 4
	}
	return 5
}

// regoCompare compares v with the number n as Rego's < and > do: by type
// rank first, numerically when v is a number.
func regoCompare(v any, n float64) int {
	if r := regoTypeRank(v); r != 2 {
		return r - 2
	}
	x, _ := rawNumber(v)
	switch {
	case x < n:
		return -1
	case x > n:
		return 1
	}
	return 0
}
