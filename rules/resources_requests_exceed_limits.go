package rules

import (
	"context"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubegate/kubegate/engine"
)

// resourcesRequestsExceedLimits reports requests greater than their limits.
type resourcesRequestsExceedLimits struct{}

var resourcesRequestsExceedLimitsMeta = engine.Meta{
	ID:    "resources-requests-exceed-limits",
	Title: "Resource requests do not exceed limits",
	Description: "A request is what the scheduler reserves for a container, a limit the most it may use. " +
		"The API server rejects a container (or pod-level resources) whose request for a resource " +
		"is greater than its limit for that resource (\"must be less than or equal to cpu limit\"), " +
		"so the manifest never applies.",
	Remediation: "Lower the request to at most the limit, or raise the limit. Setting only the limit is " +
		"enough when both should be equal: the request defaults to it.",
	Severity: engine.Error,
	Kinds:    workloadKinds,
	Source:   "go",
	DocURL:   DocURL("resources-requests-exceed-limits"),
}

// Meta describes the rule.
func (resourcesRequestsExceedLimits) Meta() engine.Meta { return resourcesRequestsExceedLimitsMeta }

// Check reports each request above its limit, in every container, init
// container and the pod-level resources, at the request.
func (resourcesRequestsExceedLimits) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	ref, ok := engine.PodSpecOf(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	if r := ref.Spec.Resources; r != nil {
		out = appendExceeding(out, *r, ref.Path.Child("resources"), "the pod")
	}
	for _, c := range ref.Containers() {
		out = appendExceeding(out, c.Container.Resources, c.Path.Child("resources"), "container "+quote(c.Container.Name))
	}
	return out, nil
}

func appendExceeding(out []engine.Finding, r corev1.ResourceRequirements, at engine.Path, who string) []engine.Finding {
	for _, name := range sortedNames(r.Requests) {
		req := r.Requests[name]
		lim, ok := r.Limits[name]
		if !ok || req.Cmp(lim) <= 0 {
			continue
		}
		out = append(out, engine.NewFinding(resourcesRequestsExceedLimitsMeta, at.Child("requests", string(name)),
			"%s requests %s %s, more than its limit %s; the API server rejects a request greater than the limit",
			who, name, req.String(), lim.String()))
	}
	return out
}
