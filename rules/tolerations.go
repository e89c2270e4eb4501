package rules

import (
	"context"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubegate/kubegate/engine"
)

// tolerations reports pod tolerations the API server rejects.
type tolerations struct{}

var tolerationsMeta = engine.Meta{
	ID:    "tolerations",
	Title: "Tolerations use valid operators and effects",
	Description: "A toleration's operator is Equal (the default) or Exists; Exists tolerates every value, so " +
		"it must not set one, and an empty key (every taint) only works with Exists. The effect is " +
		"NoSchedule, PreferNoSchedule, NoExecute or empty (all effects), and tolerationSeconds only makes " +
		"sense, and is only accepted, with NoExecute. A key must be a qualified name and an Equal value a " +
		"valid label value. The API server rejects a pod or template that breaks any of these.",
	Remediation: "Use operator Exists without a value or Equal with one; set tolerationSeconds only with " +
		"effect NoExecute.",
	Severity: engine.Error,
	Kinds:    workloadKinds,
	Source:   "go",
	DocURL:   DocURL("tolerations"),
}

// Meta describes the rule.
func (tolerations) Meta() engine.Meta { return tolerationsMeta }

// Check validates each toleration of the pod spec.
func (tolerations) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	at, spec := podSpecPath(obj)
	if spec == nil {
		return nil, nil
	}
	var out []engine.Finding
	for i, t := range rawList(spec, "tolerations") {
		tp := at.Child("tolerations").Index(i)
		key, _ := rawString(t, "key")
		op, _ := rawString(t, "operator")
		value, _ := rawString(t, "value")
		effect, _ := rawString(t, "effect")
		if key != "" {
			if errs := validation.IsQualifiedName(key); len(errs) > 0 {
				out = append(out, engine.NewFinding(tolerationsMeta, tp.Child("key"),
					"toleration key %q is not a qualified name: %s", key, strings.Join(errs, "; ")))
			}
		}
		switch op {
		case "", "Equal":
			if key == "" {
				out = append(out, engine.NewFinding(tolerationsMeta, existing(obj, tp.Child("operator")),
					"a toleration with an empty key must use operator Exists"))
			}
			if errs := validation.IsValidLabelValue(value); len(errs) > 0 {
				out = append(out, engine.NewFinding(tolerationsMeta, tp.Child("value"),
					"toleration value %s is not a valid label value: %s", shortQuote(value), strings.Join(errs, "; ")))
			}
		case "Exists":
			if value != "" {
				out = append(out, engine.NewFinding(tolerationsMeta, tp.Child("operator"),
					"a toleration with operator Exists must not set a value (it tolerates every value)"))
			}
		default:
			out = append(out, engine.NewFinding(tolerationsMeta, tp.Child("operator"),
				"toleration operator %q is not supported; use Equal or Exists", op))
		}
		switch effect {
		case "", "NoSchedule", "PreferNoSchedule", "NoExecute":
		default:
			out = append(out, engine.NewFinding(tolerationsMeta, tp.Child("effect"),
				"toleration effect %q is not supported; use NoSchedule, PreferNoSchedule, NoExecute or leave it empty", effect))
		}
		if _, ok := rawGet(t, "tolerationSeconds"); ok && effect != "NoExecute" {
			out = append(out, engine.NewFinding(tolerationsMeta, existing(obj, tp.Child("effect")),
				"tolerationSeconds is set but the effect is %s; the API server accepts it only with NoExecute", orDefault(effect, "empty")))
		}
	}
	return out, nil
}
