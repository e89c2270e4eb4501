package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// serviceType reports Services exposed outside the cluster and
// ExternalName Services that carry a selector.
type serviceType struct{}

var serviceTypeMeta = engine.Meta{
	ID:    "service-type",
	Title: "Services say how far they are exposed",
	Description: "A NodePort Service opens its port on every node, and a LoadBalancer Service usually gets an " +
		"address reachable from outside the cluster (from the internet, on most clouds): worth a second look, so " +
		"both are reported as info. An ExternalName Service is a DNS alias: its selector (and its ports' " +
		"targetPorts) are ignored, so a selector there means the author expected endpoints that never come " +
		"(a warning); without one it is reported as info, since every client of the Service name is sent wherever " +
		"the external name resolves. Covers kube-score's service-type and kube-linter's exposed-services and " +
		"externalname-service-redirect.",
	Remediation: "Use a ClusterIP Service behind an Ingress or Gateway for HTTP, and keep NodePort and LoadBalancer " +
		"for what must be reached directly; drop the selector of an ExternalName Service.",
	Severity: engine.Info,
	Kinds:    []string{"core/Service"},
	Source:   "go",
	DocURL:   DocURL("service-type"),
}

// Meta describes the rule.
func (serviceType) Meta() engine.Meta { return serviceTypeMeta }

// Check reads spec.type.
func (serviceType) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	typ, _ := rawString(obj.Raw, "spec", "type")
	at := engine.NewPath("spec", "type")
	switch typ {
	case "NodePort":
		return []engine.Finding{engine.NewFinding(serviceTypeMeta, at,
			"Service %q is a NodePort: its port is open on every node of the cluster", obj.Name)}, nil
	case "LoadBalancer":
		return []engine.Finding{engine.NewFinding(serviceTypeMeta, at,
			"Service %q is a LoadBalancer: it usually gets an address reachable from outside the cluster", obj.Name)}, nil
	case "ExternalName":
		if len(rawMap(obj.Raw, "spec", "selector")) > 0 {
			f := engine.NewFinding(serviceTypeMeta, engine.NewPath("spec", "selector"),
				"Service %q is an ExternalName (a DNS alias): its selector is ignored and it gets no endpoints", obj.Name)
			f.Severity = engine.Warning
			return []engine.Finding{f}, nil
		}
		name, _ := rawString(obj.Raw, "spec", "externalName")
		return []engine.Finding{engine.NewFinding(serviceTypeMeta, existing(obj, engine.NewPath("spec", "externalName")),
			"Service %q is an ExternalName: in-cluster clients of it are sent to %q, wherever that name resolves", obj.Name, name)}, nil
	}
	return nil, nil
}
