package rules

import (
	"context"

	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubegate/kubegate/engine"
)

// statefulSetService reports StatefulSets whose governing Service is
// missing, not headless, or does not select their pods.
type statefulSetService struct{}

var statefulSetServiceMeta = engine.Meta{
	ID:    "statefulset-service",
	Title: "StatefulSets have a headless governing Service",
	Description: "A StatefulSet's pods get stable DNS names (web-0.web.ns.svc) only through the headless " +
		"Service (clusterIP: None) named by spec.serviceName, which must select the pods. Without serviceName " +
		"the pods have no per-pod names at all; with a Service that has a cluster IP the names do not resolve to " +
		"individual pods; with a Service that selects other pods they resolve to the wrong ones. A Service " +
		"missing from the set is reported only when the set holds Services in that namespace (otherwise it is " +
		"presumably deployed elsewhere). Covers kube-score's statefulset-has-servicename.",
	Remediation: "Set spec.serviceName to a Service with clusterIP: None whose selector matches the pod template's labels.",
	Severity:    engine.Warning,
	Kinds:       []string{"apps/StatefulSet"},
	Source:      "go",
	DocURL:      DocURL("statefulset-service"),
}

// Meta describes the rule.
func (statefulSetService) Meta() engine.Meta { return statefulSetServiceMeta }

// Check looks the governing Service up.
func (statefulSetService) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	name, _ := rawString(obj.Raw, "spec", "serviceName")
	at := engine.NewPath("spec", "serviceName")
	if name == "" {
		return []engine.Finding{engine.NewFinding(statefulSetServiceMeta, existing(obj, at),
			"StatefulSet %q names no serviceName: its pods get no stable DNS names", obj.Name)}, nil
	}
	if inv == nil {
		return nil, nil
	}
	ns := obj.EffectiveNamespace()
	svc, ok := inv.Get(serviceKind, ns, name)
	if !ok {
		if len(inv.List(serviceKind, ns)) == 0 {
			return nil, nil
		}
		return []engine.Finding{engine.NewFinding(statefulSetServiceMeta, at,
			"serviceName %q names no Service in namespace %q of the set", name, ns)}, nil
	}
	var out []engine.Finding
	if ip, _ := rawString(svc.Raw, "spec", "clusterIP"); ip != "None" {
		out = append(out, engine.NewFinding(statefulSetServiceMeta, at,
			"Service %q is not headless (clusterIP: None), so the pods' names do not resolve to each pod", name))
	}
	if tl, ok := templateLabelsOf(obj); ok {
		sel := rawMap(svc.Raw, "spec", "selector")
		set := labels.Set{}
		for k, v := range sel {
			if s, ok := v.(string); ok {
				set[k] = s
			}
		}
		if len(set) > 0 && !labels.SelectorFromSet(set).Matches(tl) {
			out = append(out, engine.NewFinding(statefulSetServiceMeta, at,
				"Service %q selects {%s}, which does not match the pod template's labels %s", name, set, labelsText(tl)))
		}
	}
	return out, nil
}
