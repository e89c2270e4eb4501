package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// pdbMissing reports replicated workloads no PodDisruptionBudget protects.
type pdbMissing struct{}

var pdbMissingMeta = engine.Meta{
	ID:    "pdb-missing",
	Title: "Replicated workloads have a PodDisruptionBudget",
	Description: "A node drain (an upgrade, an autoscaler scaling nodes down) evicts pods without regard for " +
		"the workload unless a PodDisruptionBudget selecting its pods says how many may go at once; without one " +
		"a drain of two nodes can take every replica of a Deployment down together. Deployments and " +
		"StatefulSets with more than one replica, or scaled by a HorizontalPodAutoscaler, are looked up against " +
		"the PodDisruptionBudgets of their namespace in the set (single-replica workloads are " +
		"replicas-minimum's). Covers kube-score's deployment-has-poddisruptionbudget and " +
		"statefulset-has-poddisruptionbudget and Polaris' missingPodDisruptionBudget.",
	Remediation: "Add a PodDisruptionBudget selecting the pod template's labels, with maxUnavailable: 1 (or a minAvailable below the replica count).",
	Severity:    engine.Warning,
	Kinds:       []string{"apps/Deployment", "apps/StatefulSet"},
	Source:      "go",
	DocURL:      DocURL("pdb-missing"),
}

// Meta describes the rule.
func (pdbMissing) Meta() engine.Meta { return pdbMissingMeta }

// Check looks for a budget selecting the template.
func (pdbMissing) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	n, _ := replicasOf(obj)
	if n < 2 && targetingHPA(obj, inv) == nil {
		return nil, nil
	}
	if len(coveringPDBs(obj, inv)) > 0 {
		return nil, nil
	}
	if _, ok := templateLabelsOf(obj); !ok {
		return nil, nil
	}
	return []engine.Finding{engine.NewFinding(pdbMissingMeta, existing(obj, engine.NewPath("spec", "template", "metadata", "labels")),
		"no PodDisruptionBudget in namespace %q selects the pods of %s %q: a node drain may evict all of them at once", obj.EffectiveNamespace(), obj.Kind, obj.Name)}, nil
}
