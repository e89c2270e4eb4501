package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// serviceMonitorSelector reports Prometheus operator ServiceMonitors that
// select no Service of the set.
type serviceMonitorSelector struct{}

var serviceMonitorSelectorMeta = engine.Meta{
	ID:    "servicemonitor-selector",
	Title: "ServiceMonitors select Services",
	Description: "A ServiceMonitor (monitoring.coreos.com, the Prometheus operator) tells Prometheus to scrape " +
		"the endpoints of the Services its selector matches, in its own namespace unless namespaceSelector says " +
		"otherwise (matchNames, or any: true). One that matches no Service scrapes nothing, and nobody notices " +
		"until the dashboard is empty during an incident; an endpoint whose port names no port of the selected " +
		"Services is skipped the same way. Runs that hold no Services are not judged. Matches kube-linter's " +
		"dangling-servicemonitor.",
	Remediation: "Make spec.selector match the Service's labels (not the pods'), and spec.endpoints[].port one of its port names.",
	Severity:    engine.Warning,
	Kinds:       []string{"monitoring.coreos.com/ServiceMonitor"},
	Source:      "go",
	DocURL:      DocURL("servicemonitor-selector"),
}

// Meta describes the rule.
func (serviceMonitorSelector) Meta() engine.Meta { return serviceMonitorSelectorMeta }

// Check looks the selector up among the Services of the namespaces it names.
func (serviceMonitorSelector) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	if inv == nil || len(inv.List(serviceKind, "")) == 0 {
		return nil, nil
	}
	sel, ok := rawLabelSelector(rawMap(obj.Raw, "spec", "selector"))
	if !ok {
		return nil, nil // the CRD's schema requires a selector
	}
	namespaces := []string{obj.EffectiveNamespace()}
	if all, _ := rawGet(obj.Raw, "spec", "namespaceSelector", "any"); all == true {
		namespaces = []string{""}
	} else if names := rawList(obj.Raw, "spec", "namespaceSelector", "matchNames"); len(names) > 0 {
		namespaces = namespaces[:0]
		for _, n := range names {
			if s, ok := n.(string); ok {
				namespaces = append(namespaces, s)
			}
		}
	}
	var selected []*engine.Object
	for _, ns := range namespaces {
		selected = append(selected, inv.Select(serviceKind, ns, sel)...)
	}
	if len(selected) == 0 {
		return []engine.Finding{engine.NewFinding(serviceMonitorSelectorMeta, engine.NewPath("spec", "selector"),
			"selector %s matches no Service in %s of the set: Prometheus scrapes nothing for it", sel, namespaceList(namespaces))}, nil
	}
	var out []engine.Finding
	for i, e := range rawList(obj.Raw, "spec", "endpoints") {
		port, _ := rawString(e, "port")
		if port == "" {
			continue // targetPort endpoints name the pod's port
		}
		if !anyServicePortNamed(selected, port) {
			out = append(out, engine.NewFinding(serviceMonitorSelectorMeta, engine.NewPath("spec", "endpoints", i, "port"),
				"no selected Service has a port named %q: this endpoint is never scraped", port))
		}
	}
	return out, nil
}

func anyServicePortNamed(svcs []*engine.Object, name string) bool {
	for _, s := range svcs {
		for _, p := range rawList(s.Raw, "spec", "ports") {
			if n, _ := rawString(p, "name"); n == name {
				return true
			}
		}
	}
	return false
}

func namespaceList(ns []string) string {
	if len(ns) == 1 && ns[0] == "" {
		return "any namespace"
	}
	s := "namespace"
	if len(ns) > 1 {
		s += "s"
	}
	for i, n := range ns {
		if i > 0 {
			s += ","
		}
		s += " " + quote(n)
	}
	return s
}
