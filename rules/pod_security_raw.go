package rules

import (
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/kubegate/kubegate/engine"
)

// Helpers for the securityContext rules ported from Rego (run-as-high-uid,
// run-as-non-root, seccomp-profile, capabilities, privilege-escalation,
// read-only-root-filesystem, apparmor-profile, privileged-container). They
// add to pod_raw.go what those policies relied on without saying so: where
// a lib helper was undefined (a builtin error in OPA) for input of the
// wrong shape, and how sprintf prints a value that is not a string.

// securityContainers is the lib's container_refs as OPA evaluated it: the
// containers of rawPod.Containers plus, when initContainers or containers
// is a mapping rather than a list, its values that are mappings, at the
// path of their key (`some i, _ in x` iterates a mapping's keys too).
func securityContainers(p rawPod) []podContainer {
	out := p.Containers()
	for _, field := range [...]string{"initContainers", "containers"} {
		m, ok := p.Spec[field].(map[string]any)
		if !ok {
			continue
		}
		for k, c := range m {
			if cm, ok := c.(map[string]any); ok {
				out = append(out, podContainer{M: cm, Path: p.Path.Child(field, k), Name: containerName(cm), Init: field == "initContainers"})
			}
		}
	}
	return out
}

// securityValue is the lib's security_value with its undefinedness:
// object.get fails on a value that is not an object, so ok is false when
// the container's securityContext, or the pod's, is present but not a
// mapping (null included); the policies then report nothing. Otherwise it
// is rawPod.SecurityValue.
func securityValue(p rawPod, c podContainer, field string) (v any, ok bool) {
	var sc map[string]any
	if x, has := c.M["securityContext"]; has {
		if sc, ok = x.(map[string]any); !ok {
			return nil, false
		}
	}
	var podSC map[string]any
	if x, has := p.Spec["securityContext"]; has {
		if podSC, ok = x.(map[string]any); !ok {
			return nil, false
		}
	}
	if v, has := sc[field]; has {
		return v, true
	}
	return podSC[field], true
}

// containerNameArg is the lib's container_name as a sprintf argument:
// the name, "(unnamed)" when the key is missing, and a name that is not a
// string as OPA passes it to fmt.
func containerNameArg(c podContainer) any {
	v, ok := c.M["name"]
	if !ok {
		return "(unnamed)"
	}
	if s, ok := v.(string); ok {
		return s
	}
	return sprintfArg(v)
}

// sprintfArg is the value OPA's sprintf hands fmt for a raw value: a
// number as an int64 (or a big.Int) unless its text has a fraction or an
// exponent, then as a float64; a string as itself; anything else as its
// Rego text (null, true, {"a": 1}, [1, 2]). Printing it with the policy's
// verb gives the policy's message.
func sprintfArg(v any) any {
	switch t := v.(type) {
	case string:
		return t
	case int64, int, float64:
		s := numberText(t)
		if strings.ContainsAny(s, ".eE") {
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				return f
			}
			return s
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
		if b, ok := new(big.Int).SetString(s, 10); ok {
			return b
		}
		return s
	}
	return string(appendRegoText(nil, v))
}

// numberText is how OPA writes a raw number: integers in decimal, floats
// in the shortest form strconv's 'g' gives.
func numberText(v any) string {
	switch t := v.(type) {
	case int64:
		return strconv.FormatInt(t, 10)
	case int:
		return strconv.Itoa(t)
	case float64:
		return strconv.FormatFloat(t, 'g', -1, 64)
	}
	return ""
}

// appendRegoText appends v as OPA prints a value: JSON-like, with ", "
// and ": " separators and an object's keys in order.
func appendRegoText(buf []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(buf, "null"...)
	case bool:
		return strconv.AppendBool(buf, t)
	case string:
		return strconv.AppendQuote(buf, t)
	case int64, int, float64:
		return append(buf, numberText(t)...)
	case []any:
		buf = append(buf, '[')
		for i, e := range t {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = appendRegoText(buf, e)
		}
		return append(buf, ']')
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		buf = append(buf, '{')
		for i, k := range keys {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = strconv.AppendQuote(buf, k)
			buf = append(buf, ": "...)
			buf = appendRegoText(buf, t[k])
		}
		return append(buf, '}')
	}
	return buf
}

// uniqueFindings drops the findings that repeat an earlier one's message
// and path, as the policies' deny sets did: containers of the same name
// that inherit one pod-level setting are one finding there.
func uniqueFindings(out []engine.Finding) []engine.Finding {
	if len(out) < 2 {
		return out
	}
	kept := out[:1]
	for _, f := range out[1:] {
		if !slices.ContainsFunc(kept, func(k engine.Finding) bool {
			return k.Message == f.Message && slices.Equal(k.Path, f.Path)
		}) {
			kept = append(kept, f)
		}
	}
	return kept
}
