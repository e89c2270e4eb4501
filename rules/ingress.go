package rules

import (
	"fmt"
	"strings"

	"github.com/kubegate/kubegate/engine"
)

const (
	// ingressClassAnnotation is the class annotation that predates
	// spec.ingressClassName (deprecated since Kubernetes 1.18).
	ingressClassAnnotation = "kubernetes.io/ingress.class"
	// defaultClassAnnotation marks the IngressClass the DefaultIngressClass
	// admission plugin writes into Ingresses that name none.
	defaultClassAnnotation = "ingressclass.kubernetes.io/is-default-class"
)

// ingressIndex is what the Ingress rules need from the whole run, computed
// once per inventory: the default IngressClass and the first claimant of
// every host, path and path type per class.
type ingressIndex struct {
	// defaults are the IngressClasses marked default, in source order.
	defaults []*engine.Object
	// classes is whether the set holds any IngressClass at all.
	classes bool
	// first maps a route to the first path (in source order) claiming it.
	first map[ingressRoute]ingressClaim
}

// ingressRoute is what an ingress controller routes on: one class, one
// host, one path under one path type (or the default backend, with path
// type "defaultBackend").
type ingressRoute struct {
	class, host, path, pathType string
}

// ingressClaim is where a route was claimed.
type ingressClaim struct {
	obj  *engine.Object
	path engine.Path
}

type ingressIndexKey struct{}

// ingressIndexOf builds the index once per run when the inventory
// memoizes: every Ingress of the run looks its routes up in it, so the
// family stays O(n log n) however many Ingresses there are.
func ingressIndexOf(inv engine.Inventory) *ingressIndex {
	return engine.Derive(inv, ingressIndexKey{}, func() *ingressIndex { return buildIngressIndex(inv) })
}

func buildIngressIndex(inv engine.Inventory) *ingressIndex {
	idx := &ingressIndex{first: map[ingressRoute]ingressClaim{}}
	classes := inv.List(ingressClassKind, "")
	idx.classes = len(classes) > 0
	// List sorts by name; the admission plugin prefers the newest default,
	// and the last one in the files is the best guess at the newest.
	for _, o := range inv.All() {
		if o.GroupKind() == ingressClassKind && isDefaultClass(o) {
			idx.defaults = append(idx.defaults, o)
		}
	}
	for _, o := range inv.All() {
		if o.GroupKind() != ingressKind || o.APIVersion != "networking.k8s.io/v1" {
			continue
		}
		class, _ := idx.classOf(o)
		forEachIngressRoute(o, class, func(r ingressRoute, at engine.Path) {
			if _, dup := idx.first[r]; !dup {
				idx.first[r] = ingressClaim{obj: o, path: at}
			}
		})
	}
	return idx
}

func isDefaultClass(o *engine.Object) bool {
	v, _ := rawString(o.Raw, "metadata", "annotations", defaultClassAnnotation)
	return v == "true"
}

// classOf resolves the class an Ingress belongs to as the API server and
// the controllers do: spec.ingressClassName, else the deprecated
// annotation, else the default IngressClass the admission plugin fills in
// on create. how says which; class is "" when none applies.
func (idx *ingressIndex) classOf(o *engine.Object) (class, how string) {
	if name, ok := rawString(o.Raw, "spec", "ingressClassName"); ok && name != "" {
		return name, "spec.ingressClassName"
	}
	if name, ok := rawString(o.Raw, "metadata", "annotations", ingressClassAnnotation); ok && name != "" {
		return name, "the " + ingressClassAnnotation + " annotation"
	}
	if n := len(idx.defaults); n > 0 {
		return idx.defaults[n-1].Name, "the default IngressClass"
	}
	return "", ""
}

// forEachIngressRoute calls fn for the default backend and every path of
// an Ingress, with the route normalized the way controllers compare them:
// a Prefix path matches by path elements, so a trailing slash is ignored.
func forEachIngressRoute(o *engine.Object, class string, fn func(ingressRoute, engine.Path)) {
	if rawMap(o.Raw, "spec", "defaultBackend") != nil {
		fn(ingressRoute{class: class, pathType: "defaultBackend"}, engine.NewPath("spec", "defaultBackend"))
	}
	for i, r := range rawList(o.Raw, "spec", "rules") {
		host, _ := rawString(r, "host")
		for j, p := range rawList(r, "http", "paths") {
			path, _ := rawString(p, "path")
			pathType, _ := rawString(p, "pathType")
			if pathType == "Prefix" && len(path) > 1 {
				path = strings.TrimRight(path, "/")
				if path == "" {
					path = "/"
				}
			}
			fn(ingressRoute{class: class, host: strings.ToLower(host), path: path, pathType: pathType},
				engine.NewPath("spec", "rules", i, "http", "paths", j))
		}
	}
}

// ingressBackends calls fn for every service backend of an Ingress: the
// default backend and each path's.
func ingressBackends(o *engine.Object, fn func(svc map[string]any, at engine.Path)) {
	if svc := rawMap(o.Raw, "spec", "defaultBackend", "service"); svc != nil {
		fn(svc, engine.NewPath("spec", "defaultBackend", "service"))
	}
	for i, r := range rawList(o.Raw, "spec", "rules") {
		for j, p := range rawList(r, "http", "paths") {
			if svc := rawMap(p, "backend", "service"); svc != nil {
				fn(svc, engine.NewPath("spec", "rules", i, "http", "paths", j, "backend", "service"))
			}
		}
	}
}

// describeRoute names a route in a message.
func describeRoute(r ingressRoute) string {
	if r.pathType == "defaultBackend" {
		return "the default backend"
	}
	host := r.host
	if host == "" {
		host = "every host"
	} else {
		host = fmt.Sprintf("host %q", host)
	}
	return fmt.Sprintf("%s path %q (%s)", host, r.path, r.pathType)
}

// describeClass names a class in a message.
func describeClass(class string) string {
	if class == "" {
		return "no class"
	}
	return fmt.Sprintf("class %q", class)
}
