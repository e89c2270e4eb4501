package rules

import (
	"maps"
	"slices"
	"strings"

	"github.com/kubegate/kubegate/engine"
)

// Helpers for the pod-level field tests that started as Rego policies and
// were ported to Go for speed (OPA cost about 20 µs per policy per
// workload; these cost a few hundred ns). They read obj.Raw, as the
// policies read input, so a ported rule sees exactly what was written and
// reports the same findings at the same paths with the same messages; each
// mirrors a helper of data.lib.kubegate (rules/rego/lib/kubegate.rego),
// which stays for the remaining policies and for users.

// podContainer is one container or init container of a raw pod spec: the
// lib's container_refs. Ephemeral containers are left out, as there.
type podContainer struct {
	M    map[string]any
	Path engine.Path
}

// rawPod is the raw pod spec of a workload and what the ported rules ask
// of it.
type rawPod struct {
	Spec map[string]any
	Path engine.Path
}

// rawPodOf returns the raw pod spec of obj, the lib's pod_spec; ok is
// false for kinds without one or when it is not a mapping.
func rawPodOf(obj *engine.Object) (rawPod, bool) {
	p, spec := podSpecPath(obj)
	if spec == nil {
		return rawPod{}, false
	}
	return rawPod{Spec: spec, Path: p}, true
}

// Containers returns the init containers, then the containers, that are
// mappings. Like the lib's `some i, _ in ...`, it also looks inside a
// mapping written where the list belongs (containers: {app: {...}}), in key
// order, each at its key: the schema rule reports the mistake, and the
// policies still checked what it held.
func (p rawPod) Containers() []podContainer {
	var out []podContainer
	for _, field := range [...]string{"initContainers", "containers"} {
		switch l := p.Spec[field].(type) {
		case []any:
			for i, c := range l {
				m, ok := c.(map[string]any)
				if !ok {
					continue
				}
				out = append(out, podContainer{M: m, Path: p.Path.Child(field).Index(i)})
			}
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(l)) {
				m, ok := l[k].(map[string]any)
				if !ok {
					continue
				}
				out = append(out, podContainer{M: m, Path: p.Path.Child(field, k)})
			}
		}
	}
	return out
}

// Linux reports whether the pod runs on Linux (the lib's linux_pod): the
// Linux-only security settings do not apply to a pod whose spec.os.name is
// windows, and the API server forbids them there.
func (p rawPod) Linux() bool {
	name, ok := rawString(p.Spec, "os", "name")
	return !ok || name != "windows"
}

// SecurityValue is the lib's security_value with its undefinedness:
// object.get fails on a value that is not an object, so ok is false when
// the container's securityContext, or the pod's, is present but not a
// mapping (null included); the policies then report nothing. Otherwise it is
// the container's field when the key is there (even as null), else the
// pod's, else nil: the kubelet's rule for the fields both levels carry.
func (p rawPod) SecurityValue(c podContainer, field string) (v any, ok bool) {
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

// SecurityPath is the lib's security_path: where SecurityValue(c, field)
// was written (a non-null value at the container, else at the pod), or
// the container's securityContext (or the container) when neither sets
// it: the place a fix goes.
func (p rawPod) SecurityPath(c podContainer, field string) engine.Path {
	if v, _ := rawGet(c.M, "securityContext", field); v != nil {
		return c.Path.Child("securityContext", field)
	}
	if v, _ := rawGet(p.Spec, "securityContext", field); v != nil {
		return p.Path.Child("securityContext", field)
	}
	return containerSecurityParent(c)
}

// containerSecurityPath is the lib's container_security_path: the path of
// a field only containers carry (privileged, allowPrivilegeEscalation,
// capabilities, readOnlyRootFilesystem, procMount) when it is set, else
// the nearest existing parent.
func containerSecurityPath(c podContainer, field string) engine.Path {
	if v, _ := rawGet(c.M, "securityContext", field); v != nil {
		return c.Path.Child("securityContext", field)
	}
	return containerSecurityParent(c)
}

// containerSecurityParent is the container's securityContext when it is a
// mapping, else the container.
func containerSecurityParent(c podContainer) engine.Path {
	if _, ok := c.M["securityContext"].(map[string]any); ok {
		return c.Path.Child("securityContext")
	}
	return c.Path
}

// rawNumber returns v as a float64 when it is a number.
func rawNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

// imageRef splits an image reference (the lib's image_ref): the tag
// follows the last ":" after the last "/" (so a registry's port is not a
// tag) and the digest follows the first "@".
func imageRef(image string) (name, tag, digest string) {
	ref, digest, _ := strings.Cut(image, "@")
	last := ref[strings.LastIndex(ref, "/")+1:]
	if _, t, ok := strings.Cut(last, ":"); ok {
		tag = t
	}
	name = strings.TrimSuffix(ref, ":"+tag)
	return name, tag, digest
}

// pullPolicyDefault is the imagePullPolicy the API server fills in when
// none is set (the lib's pull_policy_default): Always for an untagged or
// :latest image without a digest, IfNotPresent otherwise.
func pullPolicyDefault(image string) string {
	_, tag, digest := imageRef(image)
	if digest == "" && (tag == "" || tag == "latest") {
		return "Always"
	}
	return "IfNotPresent"
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
