package rules

import (
	"encoding/json"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubegate/kubegate/engine"
)

// Kinds the cross-object rules look up.
var (
	pdbKind             = engine.GroupKind{Group: "policy", Kind: "PodDisruptionBudget"}
	hpaKind             = engine.GroupKind{Group: "autoscaling", Kind: "HorizontalPodAutoscaler"}
	serviceKind         = engine.GroupKind{Kind: "Service"}
	serviceAccountKind  = engine.GroupKind{Kind: "ServiceAccount"}
	configMapKind       = engine.GroupKind{Kind: "ConfigMap"}
	secretKind          = engine.GroupKind{Kind: "Secret"}
	ingressKind         = engine.GroupKind{Group: "networking.k8s.io", Kind: "Ingress"}
	ingressClassKind    = engine.GroupKind{Group: "networking.k8s.io", Kind: "IngressClass"}
	networkPolicyKind   = engine.GroupKind{Group: "networking.k8s.io", Kind: "NetworkPolicy"}
	rbacRoleKind        = engine.GroupKind{Group: "rbac.authorization.k8s.io", Kind: "Role"}
	rbacClusterRoleKind = engine.GroupKind{Group: "rbac.authorization.k8s.io", Kind: "ClusterRole"}
)

// rawLabelSelector reads a metav1.LabelSelector (matchLabels and
// matchExpressions) from a raw object. ok is false when it is absent or
// invalid; the schema and selector-operators rules report invalid ones.
func rawLabelSelector(m map[string]any) (labels.Selector, bool) {
	if m == nil {
		return nil, false
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, false
	}
	var ls metav1.LabelSelector
	if err := json.Unmarshal(b, &ls); err != nil {
		return nil, false
	}
	sel, err := metav1.LabelSelectorAsSelector(&ls)
	if err != nil {
		return nil, false
	}
	return sel, true
}

// templateLabelsOf returns the labels of obj's pod template.
func templateLabelsOf(obj *engine.Object) (labels.Set, bool) {
	ref, ok := engine.PodSpecOf(obj)
	if !ok || ref.Meta == nil {
		return nil, false
	}
	return labels.Set(ref.Meta.Labels), true
}

// coveringPDBs returns the PodDisruptionBudgets of obj's namespace that
// select its pod template.
func coveringPDBs(obj *engine.Object, inv engine.Inventory) []*engine.Object {
	if inv == nil {
		return nil
	}
	tl, ok := templateLabelsOf(obj)
	if !ok {
		return nil
	}
	var out []*engine.Object
	for _, pdb := range inv.List(pdbKind, obj.EffectiveNamespace()) {
		if sel, ok := rawLabelSelector(rawMap(pdb.Raw, "spec", "selector")); ok && !sel.Empty() && sel.Matches(tl) {
			out = append(out, pdb)
		}
	}
	return out
}

// targetingHPA returns the first HorizontalPodAutoscaler of obj's
// namespace whose scaleTargetRef names obj.
func targetingHPA(obj *engine.Object, inv engine.Inventory) *engine.Object {
	if inv == nil {
		return nil
	}
	for _, h := range inv.List(hpaKind, obj.EffectiveNamespace()) {
		kind, _ := rawString(h.Raw, "spec", "scaleTargetRef", "kind")
		name, _ := rawString(h.Raw, "spec", "scaleTargetRef", "name")
		if kind == obj.Kind && name == obj.Name {
			return h
		}
	}
	return nil
}

// replicasOf returns spec.replicas and whether it is written down; unset
// means 1.
func replicasOf(obj *engine.Object) (int64, bool) {
	if n, ok := rawInt(obj.Raw, "spec", "replicas"); ok {
		return n, true
	}
	return 1, false
}
