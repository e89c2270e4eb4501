package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// pvClaimRace reports claims that compete for the same volume.
type pvClaimRace struct{}

var pvClaimRaceMeta = engine.Meta{
	ID:    "pv-claim-race",
	Title: "No two claims race for one volume",
	Description: "When two claims are both best satisfied by the same PersistentVolume, the PV controller binds " +
		"it to whichever claim it handles first; the other takes the next volume that fits, is provisioned, or " +
		"stays Pending. Which claim gets which volume then depends on the order the claims reach the cluster, " +
		"so data can end up on the wrong volume after a redeploy.",
	Remediation: "Pin each claim to its volume with spec.volumeName (or the volume to its claim with spec.claimRef), " +
		"or give the volumes labels and the claims selectors that tell them apart.",
	Severity: engine.Warning,
	Kinds:    []string{"core/PersistentVolumeClaim"},
	Source:   "go",
	DocURL:   DocURL("pv-claim-race"),
}

// Meta describes the rule.
func (pvClaimRace) Meta() engine.Meta { return pvClaimRaceMeta }

// Check reads the claim's predicted binding.
func (pvClaimRace) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	b, ok := engine.BindingsOf(inv).Of(obj)
	if !ok || b.Rival == nil {
		return nil, nil
	}
	return []engine.Finding{engine.NewFinding(pvClaimRaceMeta, engine.NewPath("spec"),
		"claim races claim %s/%s (%s:%d) for volume %s; the PV controller binds it to whichever it sees first, and in this set's order this claim %s",
		b.Rival.EffectiveNamespace(), b.Rival.Name, b.Rival.Source.File, b.Rival.Source.Line, b.Contested.Name, b.Outcome())}, nil
}
