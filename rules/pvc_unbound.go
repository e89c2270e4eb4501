package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// pvcUnbound reports claims the PV controller would leave Pending.
type pvcUnbound struct{}

var pvcUnboundMeta = engine.Meta{
	ID:    "pvc-unbound",
	Title: "Every volume claim can bind",
	Description: "kubegate runs the PV controller's matching over the set: a claim binds to the smallest " +
		"PersistentVolume whose storage class equals the claim's (after the default class is applied to a " +
		"claim that names none), whose access modes include the claim's, whose capacity covers the request, " +
		"whose volume mode is the same, whose labels match the claim's selector and which no claimRef " +
		"reserves for another claim; otherwise its storage class provisions a volume. A claim that nothing " +
		"satisfies stays Pending, and so do the pods that mount it. The finding names the closest volume and " +
		"the condition it fails. Claims that depend on volumes or classes the set does not hold (a cluster's " +
		"default class, say) are not reported; the JSON report shows every claim's predicted binding.",
	Remediation: "Create a PersistentVolume that matches the claim, change the claim's storage class, size, access " +
		"modes or selector to fit an existing one, or name a StorageClass that provisions volumes.",
	Severity: engine.Warning,
	Kinds:    []string{"core/PersistentVolumeClaim"},
	Source:   "go",
	DocURL:   DocURL("pvc-unbound"),
}

// Meta describes the rule.
func (pvcUnbound) Meta() engine.Meta { return pvcUnboundMeta }

// Check reads the claim's predicted binding.
func (pvcUnbound) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	b, ok := engine.BindingsOf(inv).Of(obj)
	if !ok || b.Kind != engine.Pending || !b.Certain {
		return nil, nil
	}
	at := engine.NewPath("spec")
	if _, named := rawGet(obj.Raw, "spec", "volumeName"); named {
		at = at.Child("volumeName")
	} else if _, set := rawGet(obj.Raw, "spec", "storageClassName"); set {
		at = at.Child("storageClassName")
	}
	return []engine.Finding{engine.NewFinding(pvcUnboundMeta, at, "claim stays Pending: %s", b.Reason)}, nil
}
