package rules

import (
	"context"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/kubegate/kubegate/engine"
)

// pvcAccessModes reports PersistentVolumeClaims (and claim templates) and
// PersistentVolumes whose access modes or size the API server rejects.
type pvcAccessModes struct{}

var pvcAccessModesMeta = engine.Meta{
	ID:    "pvc-access-modes",
	Title: "Volume claims have valid access modes and a size",
	Description: "A PersistentVolumeClaim, a StatefulSet's volumeClaimTemplates and a PersistentVolume need at " +
		"least one access mode, each of ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod, and " +
		"ReadWriteOncePod cannot be combined with another. A claim must request a positive storage size " +
		"(resources.requests.storage) and a volume must state its capacity. The API server rejects the " +
		"object otherwise.",
	Remediation: "List the access modes the volume needs (usually ReadWriteOnce) and request a size such as 10Gi.",
	Severity:    engine.Error,
	Kinds:       []string{"core/PersistentVolumeClaim", "core/PersistentVolume", "apps/StatefulSet"},
	Source:      "go",
	DocURL:      DocURL("pvc-access-modes"),
}

// Meta describes the rule.
func (pvcAccessModes) Meta() engine.Meta { return pvcAccessModesMeta }

// Check validates each claim (or the volume).
func (pvcAccessModes) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	switch obj.Kind {
	case "PersistentVolumeClaim":
		return checkClaim(obj, rawMap(obj.Raw, "spec"), engine.NewPath("spec"), "claim"), nil
	case "StatefulSet":
		var out []engine.Finding
		for i, t := range rawList(obj.Raw, "spec", "volumeClaimTemplates") {
			out = append(out, checkClaim(obj, rawMap(t, "spec"), engine.NewPath("spec", "volumeClaimTemplates", i, "spec"), "claim template")...)
		}
		return out, nil
	case "PersistentVolume":
		spec := rawMap(obj.Raw, "spec")
		at := engine.NewPath("spec")
		out := checkModes(obj, spec, at, "volume")
		if q, ok := rawGet(spec, "capacity", "storage"); !ok {
			out = append(out, engine.NewFinding(pvcAccessModesMeta, existing(obj, at.Child("capacity", "storage")),
				"the volume states no capacity.storage; the API server requires it"))
		} else {
			out = append(out, positiveSize(q, at.Child("capacity", "storage"), "capacity")...)
		}
		return out, nil
	}
	return nil, nil
}

func checkClaim(obj *engine.Object, spec map[string]any, at engine.Path, what string) []engine.Finding {
	out := checkModes(obj, spec, at, what)
	q, ok := rawGet(spec, "resources", "requests", "storage")
	if !ok {
		return append(out, engine.NewFinding(pvcAccessModesMeta, existing(obj, at.Child("resources", "requests", "storage")),
			"the %s requests no storage size (resources.requests.storage); the API server requires one", what))
	}
	return append(out, positiveSize(q, at.Child("resources", "requests", "storage"), "storage request")...)
}

func positiveSize(v any, at engine.Path, what string) []engine.Finding {
	var q resource.Quantity
	switch t := v.(type) {
	case string:
		var err error
		if q, err = resource.ParseQuantity(t); err != nil {
			return nil // the schema rule reports a malformed quantity
		}
	case int64:
		q = *resource.NewQuantity(t, resource.DecimalSI)
	case float64:
		q = *resource.NewMilliQuantity(int64(t*1000), resource.DecimalSI)
	default:
		return nil
	}
	if q.Sign() <= 0 {
		return []engine.Finding{engine.NewFinding(pvcAccessModesMeta, at, "%s %s must be greater than zero", what, q.String())}
	}
	return nil
}

var validAccessModes = map[string]bool{"ReadWriteOnce": true, "ReadOnlyMany": true, "ReadWriteMany": true, "ReadWriteOncePod": true}

func checkModes(obj *engine.Object, spec map[string]any, at engine.Path, what string) []engine.Finding {
	modes := rawList(spec, "accessModes")
	if len(modes) == 0 {
		return []engine.Finding{engine.NewFinding(pvcAccessModesMeta, existing(obj, at.Child("accessModes")),
			"the %s has no access modes; the API server requires at least one", what)}
	}
	var out []engine.Finding
	oncePod := false
	for i, m := range modes {
		s, _ := m.(string)
		if !validAccessModes[s] {
			out = append(out, engine.NewFinding(pvcAccessModesMeta, at.Child("accessModes").Index(i),
				"access mode %q is not supported; use ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod", s))
		}
		oncePod = oncePod || s == "ReadWriteOncePod"
	}
	if oncePod && len(modes) > 1 {
		out = append(out, engine.NewFinding(pvcAccessModesMeta, at.Child("accessModes"),
			"ReadWriteOncePod cannot be combined with other access modes"))
	}
	return out
}
