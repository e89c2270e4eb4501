package rules

import (
	"context"
	"strconv"

	"github.com/kubegate/kubegate/engine"
)

// ingressBackendService reports Ingress backends whose Service is not in
// the set or does not expose the port the backend names.
type ingressBackendService struct{}

var ingressBackendServiceMeta = engine.Meta{
	ID:    "ingress-backend-service",
	Title: "Ingress backends name a Service and port that exist",
	Description: "An Ingress backend names a Service of the Ingress' own namespace and one of its ports, by " +
		"number (the Service's port, not the targetPort) or by name. When the Service does not exist the " +
		"controller answers 503 (ingress-nginx) or drops the route; when the port is not one the Service " +
		"exposes, the route has no endpoints. A missing Service is a warning when the set holds Services (it " +
		"was probably misspelt or forgotten) and information when it holds none, since the Service may be " +
		"applied from elsewhere. Covers kube-linter's dangling-ingress and kube-score's ingress-targets-service.",
	Remediation: "Name a Service of the same namespace and one of its spec.ports, by its port number or its name.",
	Severity:    engine.Warning,
	Kinds:       []string{"networking.k8s.io/Ingress"},
	Source:      "go",
	DocURL:      DocURL("ingress-backend-service"),
}

// Meta describes the rule.
func (ingressBackendService) Meta() engine.Meta { return ingressBackendServiceMeta }

// Check looks each backend's Service up in the Ingress' namespace.
func (ingressBackendService) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	if obj.APIVersion != "networking.k8s.io/v1" || inv == nil {
		return nil, nil
	}
	ns := obj.EffectiveNamespace()
	anyServices := len(inv.List(serviceKind, "")) > 0
	var out []engine.Finding
	ingressBackends(obj, func(b map[string]any, at engine.Path) {
		name, _ := rawString(b, "name")
		if name == "" {
			return // ingress-paths reports it
		}
		svc, ok := inv.Get(serviceKind, ns, name)
		if !ok {
			if anyServices {
				out = append(out, engine.NewFinding(ingressBackendServiceMeta, at.Child("name"),
					"backend Service %q is not in namespace %q of the set: the route has no endpoints", name, ns))
			} else {
				f := engine.NewFinding(ingressBackendServiceMeta, at.Child("name"),
					"backend Service %q is not in the set (it holds no Services); make sure it exists in namespace %q", name, ns)
				f.Severity = engine.Info
				out = append(out, f)
			}
			return
		}
		ports := rawList(svc.Raw, "spec", "ports")
		if len(ports) == 0 {
			return // an ExternalName Service may expose no ports
		}
		if number, ok := rawInt(b, "port", "number"); ok {
			for _, p := range ports {
				if n, _ := rawInt(p, "port"); n == number {
					return
				}
			}
			out = append(out, engine.NewFinding(ingressBackendServiceMeta, at.Child("port", "number"),
				"Service %q does not expose port %d (it exposes %s): the route has no endpoints", name, number, servicePortList(ports)))
			return
		}
		if pn, ok := rawString(b, "port", "name"); ok && pn != "" {
			for _, p := range ports {
				if n, _ := rawString(p, "name"); n == pn {
					return
				}
			}
			out = append(out, engine.NewFinding(ingressBackendServiceMeta, at.Child("port", "name"),
				"Service %q has no port named %q (it exposes %s): the route has no endpoints", name, pn, servicePortList(ports)))
		}
	})
	return out, nil
}

// servicePortList names a Service's ports in a message: 80, 443 "https".
func servicePortList(ports []any) string {
	s := ""
	for i, p := range ports {
		if i > 0 {
			s += ", "
		}
		n, _ := rawInt(p, "port")
		s += strconv.FormatInt(n, 10)
		if name, _ := rawString(p, "name"); name != "" {
			s += " " + strconv.Quote(name)
		}
	}
	return s
}
