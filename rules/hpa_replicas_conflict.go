package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// hpaReplicasConflict reports workloads that set spec.replicas while an
// autoscaler owns the count.
type hpaReplicasConflict struct{}

var hpaReplicasConflictMeta = engine.Meta{
	ID:    "hpa-replicas-conflict",
	Title: "Autoscaled workloads leave spec.replicas unset",
	Description: "When a HorizontalPodAutoscaler scales a Deployment or StatefulSet, the manifest's " +
		"spec.replicas fights it: every kubectl apply (or GitOps sync) resets the count to the written value, " +
		"scaling a loaded workload down until the autoscaler scales it back. Covers kube-score's " +
		"deployment-targeted-by-hpa-does-not-have-replicas-configured.",
	Remediation: "Remove spec.replicas from the manifest and let the autoscaler's minReplicas set the floor.",
	Severity:    engine.Warning,
	Kinds:       []string{"apps/Deployment", "apps/StatefulSet"},
	Source:      "go",
	DocURL:      DocURL("hpa-replicas-conflict"),
}

// Meta describes the rule.
func (hpaReplicasConflict) Meta() engine.Meta { return hpaReplicasConflictMeta }

// Check looks for an autoscaler targeting obj.
func (hpaReplicasConflict) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	n, set := replicasOf(obj)
	if !set {
		return nil, nil
	}
	h := targetingHPA(obj, inv)
	if h == nil {
		return nil, nil
	}
	return []engine.Finding{engine.NewFinding(hpaReplicasConflictMeta, engine.NewPath("spec", "replicas"),
		"HorizontalPodAutoscaler %q scales this %s, but spec.replicas is %d: every apply resets the count", h.Name, obj.Kind, n)}, nil
}
