package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// pvReclaimRecycle reports the deprecated Recycle reclaim policy.
type pvReclaimRecycle struct{}

var pvReclaimRecycleMeta = engine.Meta{
	ID:    "pv-reclaim-recycle",
	Title: "Volumes do not use the Recycle reclaim policy",
	Description: "persistentVolumeReclaimPolicy: Recycle (an rm -rf of the volume before it is offered again) is " +
		"deprecated and only NFS and hostPath volumes ever supported it; the recycler pod it needs is gone " +
		"from most clusters, and the volume ends up Failed instead of Available.",
	Remediation: "Use Retain and clean volumes yourself, or Delete with a provisioner that creates fresh volumes.",
	Severity:    engine.Warning,
	Kinds:       []string{"core/PersistentVolume"},
	Source:      "go",
	DocURL:      DocURL("pv-reclaim-recycle"),
}

// Meta describes the rule.
func (pvReclaimRecycle) Meta() engine.Meta { return pvReclaimRecycleMeta }

// Check reads the policy.
func (pvReclaimRecycle) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	if p, _ := rawString(rawMap(obj.Raw, "spec"), "persistentVolumeReclaimPolicy"); p != "Recycle" {
		return nil, nil
	}
	return []engine.Finding{engine.NewFinding(pvReclaimRecycleMeta, engine.NewPath("spec", "persistentVolumeReclaimPolicy"),
		"reclaim policy Recycle is deprecated; the volume fails to be reclaimed on clusters without a recycler")}, nil
}
