package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// resourceRequests reports containers that neither request nor limit CPU or
// memory, in a pod without a pod-level request or limit for it. It was
// ported from Rego for speed and reports exactly what the policy did.
type resourceRequests struct{}

var resourceRequestsMeta = engine.Meta{
	ID:    "resource-requests",
	Title: "Containers request CPU and memory",
	Description: "The scheduler places a pod by its requests. A container without a CPU " +
		"request can be packed onto a busy node and gets the smallest CPU share " +
		"under contention; without a memory request the node can be " +
		"overcommitted until the kubelet evicts pods. When a limit is set and " +
		"the request is not, the API server copies the limit into the request, " +
		"so only a container with neither is reported. A pod-level request " +
		"(spec.resources, 1.32 and later) covers its containers. Matches " +
		"kube-linter's unset-cpu-requirements and unset-memory-requirements, " +
		"kube-score's container-resources and Polaris' cpuRequestsMissing and " +
		"memoryRequestsMissing.",
	Remediation: "Set resources.requests.cpu and resources.requests.memory from the container's measured use.",
	Severity:    engine.Warning,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("resource-requests"),
}

// requestedResources are the resources resource-requests looks for, in
// the policy's order.
var requestedResources = [...]string{"cpu", "memory"}

// Meta describes the rule.
func (resourceRequests) Meta() engine.Meta { return resourceRequestsMeta }

// Check reports, for cpu and for memory, each container and init container
// whose request and limit are both unset (missing or null), unless the pod
// requests or limits the resource. The finding is at the container's
// resources.requests, else its resources, else the container, whichever is
// a mapping. As in the policy, a container whose resources is there but
// not a mapping (null, a string) is not reported: the schema rule is.
func (resourceRequests) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	pod, ok := rawPodOf(obj)
	if !ok {
		return nil, nil
	}
	var podSets [len(requestedResources)]bool
	for i, r := range requestedResources {
		podSets[i] = rawSet(pod.Spec, "resources", "requests", r) || rawSet(pod.Spec, "resources", "limits", r)
	}
	if podSets[0] && podSets[1] {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range pod.Containers() {
		var res map[string]any
		if v, ok := c.M["resources"]; ok {
			if res, ok = v.(map[string]any); !ok {
				continue
			}
		}
		for i, r := range requestedResources {
			if podSets[i] || rawSet(res, "requests", r) || rawSet(res, "limits", r) {
				continue
			}
			out = append(out, engine.NewFinding(resourceRequestsMeta, resourcesRequestsPath(c),
				"container %q requests no %s, so the scheduler places it as if it needed none", containerNameArg(c), r))
		}
	}
	return out, nil
}

// resourcesRequestsPath is where a request goes: the container's
// resources.requests, else its resources, else the container, the first
// that is a mapping.
func resourcesRequestsPath(c podContainer) engine.Path {
	res, ok := c.M["resources"].(map[string]any)
	if !ok {
		return c.Path
	}
	if _, ok := res["requests"].(map[string]any); ok {
		return c.Path.Child("resources", "requests")
	}
	return c.Path.Child("resources")
}

// rawSet reports whether the value at path in v is there and not null: the
// policies' object.get(v, path, null) != null.
func rawSet(v any, path ...string) bool {
	x, _ := rawGet(v, path...)
	return x != nil
}
