package rules

import (
	"context"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubegate/kubegate/engine"
)

// configRefMissing reports ConfigMaps, Secrets and their keys that a pod
// template reads and the set does not hold.
type configRefMissing struct{}

var configRefMissingMeta = engine.Meta{
	ID:    "config-ref-missing",
	Title: "ConfigMaps and Secrets a pod reads exist",
	Description: "A container whose env or envFrom names a ConfigMap or Secret that does not exist, or a key it " +
		"lacks, never starts (CreateContainerConfigError); a volume of a missing ConfigMap or Secret keeps the pod " +
		"in ContainerCreating. References marked optional: true are skipped, as the kubelet does. Each reference " +
		"is looked up in the pod's namespace in the set, and a key in the object's data, binaryData and " +
		"stringData. A warning when the set holds objects of that kind, information when it holds none (they may " +
		"be created by another tool). Covers kube-linter's env-value-from.",
	Remediation: "Fix the name or key, add the ConfigMap or Secret to the manifests, or mark the reference optional: true.",
	Severity:    engine.Warning,
	Kinds:       []string{"Pod", "PodTemplate", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"},
	Source:      "go",
	DocURL:      DocURL("config-ref-missing"),
}

// Meta describes the rule.
func (configRefMissing) Meta() engine.Meta { return configRefMissingMeta }

// configRef is one reference of a pod spec to a ConfigMap or Secret.
type configRef struct {
	kind     engine.GroupKind
	name     string
	key      string // "" when the whole object is used
	optional *bool
	at       engine.Path
}

// Check looks each reference up in the pod's namespace.
func (configRefMissing) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	ref, ok := engine.PodSpecOf(obj)
	if !ok || ref.Spec == nil || inv == nil {
		return nil, nil
	}
	ns := obj.EffectiveNamespace()
	var out []engine.Finding
	for _, r := range configRefs(ref) {
		if r.name == "" || (r.optional != nil && *r.optional) {
			continue
		}
		what := "ConfigMap"
		if r.kind == secretKind {
			what = "Secret"
		}
		target, ok := inv.Get(r.kind, ns, r.name)
		switch {
		case !ok && len(inv.List(r.kind, "")) == 0:
			f := engine.NewFinding(configRefMissingMeta, r.at, "the set holds no %ss: make sure %s %s/%s exists, or the pod does not start", what, what, ns, r.name)
			f.Severity = engine.Info
			out = append(out, f)
		case !ok:
			out = append(out, engine.NewFinding(configRefMissingMeta, r.at, "%s %q is not in namespace %q of the set: the pod does not start", what, r.name, ns))
		case r.key != "" && !hasDataKey(target, r.key):
			out = append(out, engine.NewFinding(configRefMissingMeta, r.at.Child("key"), "%s %q has no key %q: the container does not start", what, r.name, r.key))
		}
	}
	return out, nil
}

// configRefs lists every reference of the pod spec, with its field path.
func configRefs(ref engine.PodSpecRef) []configRef {
	var out []configRef
	containers := func(field string, cs []corev1.Container) {
		for i, c := range cs {
			cp := ref.Path.Child(field).Index(i)
			for j, e := range c.Env {
				if e.ValueFrom == nil {
					continue
				}
				ep := cp.Child("env").Index(j).Child("valueFrom")
				if s := e.ValueFrom.SecretKeyRef; s != nil {
					out = append(out, configRef{secretKind, s.Name, s.Key, s.Optional, ep.Child("secretKeyRef")})
				}
				if cm := e.ValueFrom.ConfigMapKeyRef; cm != nil {
					out = append(out, configRef{configMapKind, cm.Name, cm.Key, cm.Optional, ep.Child("configMapKeyRef")})
				}
			}
			for j, e := range c.EnvFrom {
				ep := cp.Child("envFrom").Index(j)
				if s := e.SecretRef; s != nil {
					out = append(out, configRef{secretKind, s.Name, "", s.Optional, ep.Child("secretRef")})
				}
				if cm := e.ConfigMapRef; cm != nil {
					out = append(out, configRef{configMapKind, cm.Name, "", cm.Optional, ep.Child("configMapRef")})
				}
			}
		}
	}
	containers("initContainers", ref.Spec.InitContainers)
	containers("containers", ref.Spec.Containers)
	for i, v := range ref.Spec.Volumes {
		vp := ref.Path.Child("volumes").Index(i)
		if s := v.Secret; s != nil {
			out = append(out, configRef{secretKind, s.SecretName, "", s.Optional, vp.Child("secret")})
		}
		if c := v.ConfigMap; c != nil {
			out = append(out, configRef{configMapKind, c.Name, "", c.Optional, vp.Child("configMap")})
		}
		if p := v.Projected; p != nil {
			for j, s := range p.Sources {
				sp := vp.Child("projected", "sources").Index(j)
				if s.Secret != nil {
					out = append(out, configRef{secretKind, s.Secret.Name, "", s.Secret.Optional, sp.Child("secret")})
				}
				if s.ConfigMap != nil {
					out = append(out, configRef{configMapKind, s.ConfigMap.Name, "", s.ConfigMap.Optional, sp.Child("configMap")})
				}
			}
		}
	}
	return out
}

// hasDataKey reports whether a ConfigMap or Secret holds key.
func hasDataKey(o *engine.Object, key string) bool {
	for _, field := range []string{"data", "binaryData", "stringData"} {
		if _, ok := rawGet(o.Raw, field, key); ok {
			return true
		}
	}
	return false
}
