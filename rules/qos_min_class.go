package rules

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubegate/kubegate/engine"
)

// qosMinClass reports workloads whose pods get a QoS class below a
// configured minimum. It is off by default.
type qosMinClass struct {
	min corev1.PodQOSClass
}

// qosRank orders the QoS classes from the first evicted to the last.
var qosRank = map[corev1.PodQOSClass]int{
	corev1.PodQOSBestEffort: 0,
	corev1.PodQOSBurstable:  1,
	corev1.PodQOSGuaranteed: 2,
}

var qosMinClassMeta = engine.Meta{
	ID:    "qos-min-class",
	Title: "Pod has at least the required QoS class",
	Description: "The kubelet gives every pod a QoS class from its containers' cpu and memory requests " +
		"and limits: Guaranteed when every container (init containers included) has cpu and memory " +
		"limits and requests equal to them, BestEffort when none sets any, Burstable otherwise. " +
		"Under node pressure it evicts BestEffort pods first, then Burstable pods above their " +
		"requests, and Guaranteed pods last; only Guaranteed pods can get exclusive cpus from the " +
		"static cpu manager. Some clusters require a minimum class for production workloads; this " +
		"rule enforces it. It is off unless enabled by name.",
	Remediation: "For Guaranteed, give every container cpu and memory limits and leave the requests unset " +
		"(they default to the limits) or equal to them. For Burstable, set at least one cpu or memory " +
		"request or limit.",
	Severity: engine.Warning,
	Kinds:    runnableKinds,
	Params: []engine.ParamDesc{{
		Name:        "minQoSClass",
		Type:        "string",
		Description: "The lowest acceptable QoS class: BestEffort, Burstable or Guaranteed.",
		Default:     string(corev1.PodQOSGuaranteed),
	}},
	Source:   "go",
	DocURL:   DocURL("qos-min-class"),
	Disabled: true,
}

// Meta describes the rule.
func (qosMinClass) Meta() engine.Meta { return qosMinClassMeta }

// Configure returns the rule with params applied: minQoSClass, strictly
// decoded.
func (r qosMinClass) Configure(params map[string]any) (engine.Rule, error) {
	var p struct {
		MinQoSClass *string `json:"minQoSClass"`
	}
	if err := engine.DecodeParams(qosMinClassMeta.ID, params, &p); err != nil {
		return nil, err
	}
	out := qosMinClass{min: r.minClass()}
	if p.MinQoSClass != nil {
		c := corev1.PodQOSClass(*p.MinQoSClass)
		if _, ok := qosRank[c]; !ok {
			return nil, fmt.Errorf("configure %s: minQoSClass %q: want BestEffort, Burstable or Guaranteed", qosMinClassMeta.ID, *p.MinQoSClass)
		}
		out.min = c
	}
	return out, nil
}

func (r qosMinClass) minClass() corev1.PodQOSClass {
	if r.min == "" {
		return corev1.PodQOSGuaranteed
	}
	return r.min
}

// Check reports a pod whose QoS class ranks below the minimum, at the
// resource that keeps it there (or its nearest existing parent), else at
// the containers list.
func (r qosMinClass) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	ref, ok := engine.PodSpecOf(obj)
	if !ok || !runsPods(ref) {
		return nil, nil
	}
	minimum := r.minClass()
	class := engine.QOSClass(ref.Spec)
	if qosRank[class] >= qosRank[minimum] {
		return nil, nil
	}
	at, why := ref.Path.Child("containers"), "no container requests or limits cpu or memory"
	if class == corev1.PodQOSBurstable {
		at, why = notGuaranteedReason(ref)
	}
	at = existing(obj, at)
	return []engine.Finding{engine.NewFinding(qosMinClassMeta, at,
		"pod has QoS class %s, below the minimum %s: %s", class, minimum, why)}, nil
}

// notGuaranteedReason names the first resource that keeps a Burstable pod
// from being Guaranteed, and where it is.
func notGuaranteedReason(ref engine.PodSpecRef) (engine.Path, string) {
	if r := ref.Spec.Resources; r != nil && (len(r.Requests) > 0 || len(r.Limits) > 0) {
		// Pod-level resources decide alone.
		if list, name, why := notGuaranteed(*r); why != "" {
			return ref.Path.Child("resources", list, string(name)), "the pod " + why
		}
	} else {
		for _, c := range ref.Containers() {
			if list, name, why := notGuaranteed(c.Container.Resources); why != "" {
				return c.Path.Child("resources", list, string(name)), "container " + quote(c.Container.Name) + " " + why
			}
		}
	}
	// Only an invalid spec (a request above its limit) gets here.
	return ref.Path.Child("containers"), "cpu and memory requests do not add up to the limits"
}

// qosResources are the resources the QoS class depends on.
var qosResources = []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory}

// notGuaranteed says why r alone is not Guaranteed ("has no memory limit")
// and which field is to blame (list "limits" or "requests", and the
// resource name), or returns why == "" when it is.
func notGuaranteed(r corev1.ResourceRequirements) (list string, name corev1.ResourceName, why string) {
	for _, name := range qosResources {
		lim, ok := positive(r.Limits, name)
		if !ok {
			return "limits", name, fmt.Sprintf("has no %s limit", name)
		}
		if req, set := r.Requests[name]; set && req.Cmp(lim) != 0 {
			return "requests", name, fmt.Sprintf("requests %s %s, not equal to its limit %s", name, req.String(), lim.String())
		}
	}
	return "", "", ""
}
