package rules

import (
	"context"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubegate/kubegate/engine"
)

// qosBestEffort reports workloads whose pods get the BestEffort QoS class.
type qosBestEffort struct{}

var qosBestEffortMeta = engine.Meta{
	ID:    "qos-best-effort",
	Title: "Pod is not BestEffort",
	Description: "A pod in which no container requests or limits cpu or memory gets the BestEffort QoS " +
		"class. The scheduler reserves nothing for it, so it lands on nodes that are already full; " +
		"when a node runs short of memory the kubelet evicts BestEffort pods first, and the kernel's " +
		"OOM killer picks their processes first.",
	Remediation: "Set cpu and memory requests on every container (and memory limits), sized from what the " +
		"application really uses; requests equal to limits give the Guaranteed class.",
	Severity: engine.Warning,
	Kinds:    runnableKinds,
	Source:   "go",
	DocURL:   DocURL("qos-best-effort"),
}

// Meta describes the rule.
func (qosBestEffort) Meta() engine.Meta { return qosBestEffortMeta }

// Check reports a BestEffort pod at its containers list.
func (qosBestEffort) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	ref, ok := engine.PodSpecOf(obj)
	if !ok || !runsPods(ref) || engine.QOSClass(ref.Spec) != corev1.PodQOSBestEffort {
		return nil, nil
	}
	return []engine.Finding{engine.NewFinding(qosBestEffortMeta, ref.Path.Child("containers"),
		"pod has QoS class BestEffort: no container requests or limits cpu or memory, so the kubelet evicts it first when the node runs short of memory")}, nil
}
