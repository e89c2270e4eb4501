package rules

import (
	"context"
	"strconv"

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubegate/kubegate/engine"
)

// serviceSelector reports Services whose selector matches no pod template
// of the set, and named target ports that no selected container declares.
type serviceSelector struct{}

var serviceSelectorMeta = engine.Meta{
	ID:    "service-selector",
	Title: "Services select pods and target ports they declare",
	Description: "A Service routes to the pods its selector matches in its own namespace. When no pod template " +
		"of the set (Pods, workloads, Jobs, CronJobs) matches, the Service has no endpoints and every connection " +
		"fails: usually a typo in a label. A targetPort given by name resolves, pod by pod, to the container port " +
		"of that name; when no selected container declares it, the endpoints are not ready. A numeric targetPort " +
		"that no selected container declares is reported too when those containers declare other ports, since " +
		"the container most likely listens elsewhere (a container may listen on an undeclared port, so check). Services without a selector (their endpoints " +
		"are managed by hand) are skipped, and so are runs that hold no pod template at all. Covers kube-linter's " +
		"dangling-service and kube-score's service-targets-pod.",
	Remediation: "Make the selector match the pod template's labels, and the targetPort a port the container declares.",
	Severity:    engine.Warning,
	Kinds:       []string{"core/Service"},
	Source:      "go",
	DocURL:      DocURL("service-selector"),
}

// Meta describes the rule.
func (serviceSelector) Meta() engine.Meta { return serviceSelectorMeta }

// Check looks the selector up in the namespace's pod templates.
func (serviceSelector) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	typ, _ := rawString(obj.Raw, "spec", "type")
	sel := stringMap(rawMap(obj.Raw, "spec", "selector"))
	if len(sel) == 0 || typ == "ExternalName" {
		return nil, nil
	}
	pts := engine.PodTemplatesOf(inv)
	if !pts.Any() {
		return nil, nil
	}
	ns := obj.EffectiveNamespace()
	selected := pts.Select(ns, labels.SelectorFromSet(sel))
	if len(selected) == 0 {
		return []engine.Finding{engine.NewFinding(serviceSelectorMeta, engine.NewPath("spec", "selector"),
			"selector {%s} matches no pod template in namespace %q of the set: the Service has no endpoints", sel, ns)}, nil
	}
	var out []engine.Finding
	for i, p := range rawList(obj.Raw, "spec", "ports") {
		tp, ok := rawGet(p, "targetPort")
		if !ok {
			continue // defaults to port, which is judged like a number
		}
		var target intstr.IntOrString
		switch v := tp.(type) {
		case string:
			if n, err := strconv.Atoi(v); err == nil {
				target = intstr.FromInt32(int32(n)) //nolint:gosec // a port, range-checked by port-ranges
			} else {
				target = intstr.FromString(v)
			}
		case int64:
			target = intstr.FromInt32(int32(v)) //nolint:gosec // a port, range-checked by port-ranges
		default:
			continue
		}
		if declared(selected, target) || (target.Type == intstr.Int && !anyPorts(selected)) {
			// Containers that declare no port at all say nothing about
			// where they listen.
			continue
		}
		at := engine.NewPath("spec", "ports", i, "targetPort")
		if target.Type == intstr.String {
			out = append(out, engine.NewFinding(serviceSelectorMeta, at,
				"targetPort %q is not a port name of any container the Service selects (%s): its endpoints never become ready", target.StrVal, ownerNames(selected)))
		} else {
			out = append(out, engine.NewFinding(serviceSelectorMeta, at,
				"targetPort %d is not declared by any container the Service selects (%s); check that the container listens on it", target.IntVal, ownerNames(selected)))
		}
	}
	return out, nil
}

// declared reports whether a container (or sidecar) of any template
// declares target.
func declared(ts []engine.PodTemplate, target intstr.IntOrString) bool {
	for _, t := range ts {
		for _, c := range append(t.Ref.Spec.InitContainers, t.Ref.Spec.Containers...) {
			for _, p := range c.Ports {
				if (target.Type == intstr.String && p.Name == target.StrVal) || (target.Type == intstr.Int && p.ContainerPort == target.IntVal) {
					return true
				}
			}
		}
	}
	return false
}

// anyPorts reports whether any container of the templates declares a port.
func anyPorts(ts []engine.PodTemplate) bool {
	for _, t := range ts {
		for _, c := range append(t.Ref.Spec.InitContainers, t.Ref.Spec.Containers...) {
			if len(c.Ports) > 0 {
				return true
			}
		}
	}
	return false
}

func ownerNames(ts []engine.PodTemplate) string {
	s := ""
	for i, t := range ts {
		if i == 3 {
			return s + ", ..."
		}
		if i > 0 {
			s += ", "
		}
		s += t.Owner.Kind + " " + t.Owner.Name
	}
	return s
}

// stringMap keeps the string values of a raw map.
func stringMap(m map[string]any) labels.Set {
	out := labels.Set{}
	for k, v := range m {
		if s, ok := v.(string); ok {
			out[k] = s
		}
	}
	return out
}
