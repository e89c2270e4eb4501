package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// pvClaimRefMissing reports volumes reserved for a claim the set lacks.
type pvClaimRefMissing struct{}

var pvClaimRefMissingMeta = engine.Meta{
	ID:    "pv-claimref-missing",
	Title: "A volume's claimRef names a claim in the set",
	Description: "spec.claimRef reserves a PersistentVolume for one claim: no other claim can bind it. If that " +
		"claim does not exist the volume sits Available but unusable; a misspelt name or namespace is the usual " +
		"cause.",
	Remediation: "Correct spec.claimRef's namespace and name, add the claim, or drop claimRef to let any matching claim bind the volume.",
	Severity:    engine.Warning,
	Kinds:       []string{"core/PersistentVolume"},
	Source:      "go",
	DocURL:      DocURL("pv-claimref-missing"),
}

// Meta describes the rule.
func (pvClaimRefMissing) Meta() engine.Meta { return pvClaimRefMissingMeta }

// Check looks the claim up.
func (pvClaimRefMissing) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	ref := rawMap(obj.Raw, "spec", "claimRef")
	name, _ := rawString(ref, "name")
	if name == "" || inv == nil {
		return nil, nil
	}
	ns, _ := rawString(ref, "namespace")
	if _, ok := inv.Get(engine.PersistentVolumeClaimKind, ns, name); ok {
		return nil, nil
	}
	if ns == "" {
		ns = engine.DefaultNamespace
	}
	return []engine.Finding{engine.NewFinding(pvClaimRefMissingMeta, engine.NewPath("spec", "claimRef", "name"),
		"claimRef reserves the volume for claim %s/%s, which is not in the set; no other claim can bind it", ns, name)}, nil
}
