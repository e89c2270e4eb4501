package rules

import (
	"context"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubegate/kubegate/engine"
)

// memoryLimitMissing reports containers without a memory limit.
type memoryLimitMissing struct{}

var memoryLimitMissingMeta = engine.Meta{
	ID:    "memory-limit-missing",
	Title: "Container has a memory limit",
	Description: "Memory cannot be throttled: a container without a memory limit may grow until the node " +
		"runs out, and then the kernel's OOM killer and the kubelet's evictions hit other pods on the " +
		"node as well as this one. Init containers count too: they run before the others, but " +
		"without a limit they can exhaust the node just the same. A pod-level memory limit " +
		"(spec.resources.limits.memory) bounds every container, so containers of such a pod are not " +
		"reported.",
	Remediation: "Set resources.limits.memory on the container, sized from its measured peak use plus some " +
		"headroom. A memory request equal to the limit makes the container's memory Guaranteed.",
	Severity: engine.Warning,
	Kinds:    workloadKinds,
	Source:   "go",
	DocURL:   DocURL("memory-limit-missing"),
}

// Meta describes the rule.
func (memoryLimitMissing) Meta() engine.Meta { return memoryLimitMissingMeta }

// Check reports each container and init container without a positive memory
// limit, at its resources.limits.memory or the nearest parent that exists.
func (memoryLimitMissing) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	ref, ok := engine.PodSpecOf(obj)
	if !ok {
		return nil, nil
	}
	if r := ref.Spec.Resources; r != nil {
		if _, ok := positive(r.Limits, corev1.ResourceMemory); ok {
			return nil, nil
		}
	}
	var out []engine.Finding
	for _, c := range ref.Containers() {
		r := &c.Container.Resources
		if _, ok := positive(r.Limits, corev1.ResourceMemory); ok {
			continue
		}
		kind := "container"
		if c.Init {
			kind = "init container"
		}
		at := existing(obj, c.Path.Child("resources", "limits", string(corev1.ResourceMemory)))
		if _, set := r.Limits[corev1.ResourceMemory]; set {
			out = append(out, engine.NewFinding(memoryLimitMissingMeta, at,
				"%s %q sets memory limit 0, which is no limit; it can use all the node's memory and be OOM-killed along with other pods", kind, c.Container.Name))
			continue
		}
		out = append(out, engine.NewFinding(memoryLimitMissingMeta, at,
			"%s %q has no memory limit; it can use all the node's memory and be OOM-killed along with other pods", kind, c.Container.Name))
	}
	return out, nil
}
