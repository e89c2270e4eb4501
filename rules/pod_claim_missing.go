package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// podClaimMissing notes pod volumes that name claims the set lacks.
type podClaimMissing struct{}

var podClaimMissingMeta = engine.Meta{
	ID:    "pod-claim-missing",
	Title: "Pod volumes name claims in the set",
	Description: "A pod that mounts a PersistentVolumeClaim does not start until the claim exists and is bound. " +
		"When the claim is not among the manifests it must already be in the cluster, in the pod's namespace; " +
		"this is worth knowing, and a misspelt claim name shows up here first.",
	Remediation: "Add the claim to the manifests, correct claimName, or ignore this if the claim is managed elsewhere.",
	Severity:    engine.Info,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("pod-claim-missing"),
}

// Meta describes the rule.
func (podClaimMissing) Meta() engine.Meta { return podClaimMissingMeta }

// Check looks each claim up in the pod's namespace.
func (podClaimMissing) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	at, spec := podSpecPath(obj)
	if spec == nil || inv == nil {
		return nil, nil
	}
	var out []engine.Finding
	for i, v := range rawList(spec, "volumes") {
		name, _ := rawString(v, "persistentVolumeClaim", "claimName")
		if name == "" {
			continue
		}
		if _, ok := inv.Get(engine.PersistentVolumeClaimKind, obj.EffectiveNamespace(), name); ok {
			continue
		}
		out = append(out, engine.NewFinding(podClaimMissingMeta, at.Child("volumes").Index(i).Child("persistentVolumeClaim", "claimName"),
			"volume claim %s/%s is not in the set; the pod waits until it exists in the cluster and is bound", obj.EffectiveNamespace(), name))
	}
	return out, nil
}
