package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// ingressPathConflict reports a host, path and path type that two paths
// of one ingress class claim, in one Ingress or across several.
type ingressPathConflict struct{}

var ingressPathConflictMeta = engine.Meta{
	ID:    "ingress-path-conflict",
	Title: "No two Ingresses of a class claim the same host and path",
	Description: "An ingress controller merges every Ingress of its class, across namespaces, into one routing " +
		"table. When two paths claim the same host, path and pathType, only one backend gets the traffic: " +
		"ingress-nginx keeps the oldest Ingress, others the first or last they read, so the outcome depends on " +
		"creation order and silently changes on re-creation. A Prefix path matches by path elements and ignores " +
		"a trailing slash, so Prefix /api and /api/ are the same route; an Exact and a Prefix path on the same " +
		"string are different routes (Exact wins for that one URL). Two default backends in one class conflict " +
		"the same way. The class is spec.ingressClassName, else the deprecated annotation, else the default " +
		"IngressClass of the set. The later path in the files is reported, naming the earlier one; a duplicate " +
		"inside one Ingress is reported too.",
	Remediation: "Give each route one owner: remove the duplicate path, move it to another host, or merge the " +
		"two Ingresses.",
	Severity: engine.Warning,
	Kinds:    []string{"networking.k8s.io/Ingress"},
	Source:   "go",
	DocURL:   DocURL("ingress-path-conflict"),
}

// Meta describes the rule.
func (ingressPathConflict) Meta() engine.Meta { return ingressPathConflictMeta }

// Check looks every route up in the run's index of first claimants.
func (ingressPathConflict) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	if obj.APIVersion != "networking.k8s.io/v1" || inv == nil {
		return nil, nil
	}
	idx := ingressIndexOf(inv)
	class, _ := idx.classOf(obj)
	var out []engine.Finding
	forEachIngressRoute(obj, class, func(r ingressRoute, at engine.Path) {
		first, ok := idx.first[r]
		if !ok {
			return
		}
		same := sameObject(first.obj, obj)
		if same && first.path.String() == at.String() {
			return
		}
		if same {
			out = append(out, engine.NewFinding(ingressPathConflictMeta, at,
				"%s duplicates %s of this Ingress: the controller routes it to only one of their backends", describeRoute(r), first.path))
			return
		}
		out = append(out, engine.NewFinding(ingressPathConflictMeta, at,
			"%s is already claimed by Ingress %s/%s (%s) of %s: the controller sends it to only one of them, depending on creation order",
			describeRoute(r), first.obj.EffectiveNamespace(), first.obj.Name, first.path, describeClass(class)))
	})
	return out, nil
}

// sameObject reports whether a and b are the same object, also when an
// inventory holds copies (the API core's store does).
func sameObject(a, b *engine.Object) bool {
	return a == b || (a.GroupKind() == b.GroupKind() && a.EffectiveNamespace() == b.EffectiveNamespace() && a.Name == b.Name)
}
