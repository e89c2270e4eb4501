package rules

import (
	"context"
	"strconv"

	"github.com/kubegate/kubegate/engine"
)

// ingressClass reports Ingresses whose class is deprecated, contradictory
// or resolves to nothing, and runs with several default IngressClasses.
type ingressClass struct{}

var ingressClassMeta = engine.Meta{
	ID:    "ingress-class",
	Title: "Ingresses name their class with ingressClassName",
	Description: "The kubernetes.io/ingress.class annotation is deprecated since Kubernetes 1.18 in favour of " +
		"spec.ingressClassName, which names an IngressClass object. The API server rejects creating an Ingress " +
		"whose annotation and ingressClassName differ (error). An Ingress that names a class the set's " +
		"IngressClasses do not include, or names none while the set holds IngressClasses and none is marked " +
		"default (ingressclass.kubernetes.io/is-default-class: \"true\"), is picked up by no controller. When " +
		"several IngressClasses are marked default, the admission plugin gives new Ingresses the newest one, so " +
		"the class an Ingress gets depends on creation order.",
	Remediation: "Set spec.ingressClassName to an IngressClass of the cluster and remove the " +
		"kubernetes.io/ingress.class annotation; mark exactly one IngressClass default.",
	Severity: engine.Warning,
	Kinds:    []string{"networking.k8s.io/Ingress", "networking.k8s.io/IngressClass"},
	Source:   "go",
	DocURL:   DocURL("ingress-class"),
}

// Meta describes the rule.
func (ingressClass) Meta() engine.Meta { return ingressClassMeta }

// Check judges an Ingress's class, or an IngressClass's default mark.
func (ingressClass) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	if inv == nil {
		inv = engine.NewInventory([]*engine.Object{obj})
	}
	idx := ingressIndexOf(inv)
	if obj.GroupKind() == ingressClassKind {
		return defaultClassConflict(obj, idx), nil
	}
	if obj.APIVersion != "networking.k8s.io/v1" {
		return nil, nil
	}
	var out []engine.Finding
	annotation, hasAnnotation := rawString(obj.Raw, "metadata", "annotations", ingressClassAnnotation)
	className, hasName := rawString(obj.Raw, "spec", "ingressClassName")
	annotationAt := engine.NewPath("metadata", "annotations", ingressClassAnnotation)
	switch {
	case hasAnnotation && hasName && annotation != className:
		f := engine.NewFinding(ingressClassMeta, annotationAt,
			"the %s annotation %q differs from spec.ingressClassName %q: the API server rejects the Ingress", ingressClassAnnotation, annotation, className)
		f.Severity = engine.Error
		out = append(out, f)
	case hasAnnotation && hasName:
		out = append(out, engine.NewFinding(ingressClassMeta, annotationAt,
			"the %s annotation is deprecated and repeats spec.ingressClassName; remove it", ingressClassAnnotation))
	case hasAnnotation:
		out = append(out, engine.NewFinding(ingressClassMeta, annotationAt,
			"the %s annotation is deprecated since Kubernetes 1.18; set spec.ingressClassName: %s instead", ingressClassAnnotation, annotation))
	}
	if !idx.classes {
		// Without IngressClasses in the set the cluster's are unknown.
		return out, nil
	}
	class, how := idx.classOf(obj)
	switch {
	case class == "":
		out = append(out, engine.NewFinding(ingressClassMeta, engine.NewPath("spec"),
			"the Ingress names no class and no IngressClass of the set is marked default: no controller serves it"))
	case how != "the default IngressClass":
		if _, ok := inv.Get(ingressClassKind, "", class); !ok {
			at := annotationAt
			if hasName && className != "" {
				at = engine.NewPath("spec", "ingressClassName")
			}
			out = append(out, engine.NewFinding(ingressClassMeta, at,
				"IngressClass %q (from %s) is not in the set, which holds IngressClasses: no controller may serve the Ingress", class, how))
		}
	}
	return out, nil
}

// defaultClassConflict reports an IngressClass marked default when
// another one is too.
func defaultClassConflict(obj *engine.Object, idx *ingressIndex) []engine.Finding {
	if len(idx.defaults) < 2 || !isDefaultClass(obj) {
		return nil
	}
	var others []string
	for _, d := range idx.defaults {
		if !sameObject(d, obj) {
			others = append(others, strconv.Quote(d.Name))
		}
	}
	return []engine.Finding{engine.NewFinding(ingressClassMeta,
		engine.NewPath("metadata", "annotations", defaultClassAnnotation),
		"IngressClass %q is marked default, and so is %s: new Ingresses without a class get whichever was created last", obj.Name, joinAnd(others))}
}
