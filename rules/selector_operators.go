package rules

import (
	"context"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubegate/kubegate/engine"
)

// selectorOperators reports label selector and node selector requirements
// the API server rejects.
type selectorOperators struct{}

var selectorOperatorsMeta = engine.Meta{
	ID:    "selector-operators",
	Title: "Selector operators have the values they need",
	Description: "In a label selector's matchExpressions (workload selectors, pod affinity, topology spread, " +
		"PodDisruptionBudgets, NetworkPolicies) the operator is In, NotIn, Exists or DoesNotExist: In and " +
		"NotIn need at least one value, Exists and DoesNotExist take none. Node affinity adds Gt and Lt, " +
		"which take exactly one value that is an integer; its matchFields only select metadata.name, with " +
		"In or NotIn and exactly one value; and a required node affinity needs at least one term. Keys are " +
		"qualified names and matchLabels values label values. The API server rejects anything else.",
	Remediation: "Give In and NotIn a list of values, drop the values of Exists and DoesNotExist, and give " +
		"Gt and Lt a single integer.",
	Severity: engine.Error,
	Kinds: append([]string{"policy/PodDisruptionBudget", "networking.k8s.io/NetworkPolicy",
		"core/PersistentVolumeClaim", "core/PersistentVolume"}, workloadKinds...),
	Source: "go",
	DocURL: DocURL("selector-operators"),
}

// Meta describes the rule.
func (selectorOperators) Meta() engine.Meta { return selectorOperatorsMeta }

// Check walks the object for selectors. A mapping under nodeSelectorTerms
// or preference is a node selector term; any other mapping holding
// matchExpressions or matchLabels is a label selector.
func (selectorOperators) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	var out []engine.Finding
	rawWalk(obj.Raw, func(m map[string]any, at engine.Path, key string) {
		switch key {
		case "nodeSelectorTerms", "preference":
			out = append(out, nodeTerm(m, at)...)
			return
		case "requiredDuringSchedulingIgnoredDuringExecution", "required":
			// A node affinity's required NodeSelector (a pod's, or a
			// PersistentVolume's), not pod affinity's list of terms.
			if n := len(at); n >= 2 && !at[n-1].IsIndex && at[n-2].Key == "nodeAffinity" {
				if terms := rawList(m, "nodeSelectorTerms"); len(terms) == 0 {
					out = append(out, engine.NewFinding(selectorOperatorsMeta, at.Child(),
						"a required node affinity must have at least one node selector term"))
				}
				return
			}
		case "matchExpressions", "matchFields":
			return // reached through their parent
		}
		if _, ok := m["matchExpressions"]; ok {
			out = append(out, labelSelector(m, at)...)
		} else if ml, ok := m["matchLabels"].(map[string]any); ok {
			out = append(out, matchLabels(ml, at.Child("matchLabels"))...)
		}
	})
	return out, nil
}

func matchLabels(ml map[string]any, at engine.Path) []engine.Finding {
	var out []engine.Finding
	for _, k := range sortedKeys(ml) {
		if errs := validation.IsQualifiedName(k); len(errs) > 0 {
			out = append(out, engine.NewFinding(selectorOperatorsMeta, at.Child(k),
				"matchLabels key %q is not a qualified name: %s", k, strings.Join(errs, "; ")))
		}
		if v, ok := ml[k].(string); ok {
			if errs := validation.IsValidLabelValue(v); len(errs) > 0 {
				out = append(out, engine.NewFinding(selectorOperatorsMeta, at.Child(k),
					"matchLabels value %s is not a valid label value: %s", shortQuote(v), strings.Join(errs, "; ")))
			}
		}
	}
	return out
}

func labelSelector(m map[string]any, at engine.Path) []engine.Finding {
	var out []engine.Finding
	if ml, ok := m["matchLabels"].(map[string]any); ok {
		out = append(out, matchLabels(ml, at.Child("matchLabels"))...)
	}
	for i, e := range rawList(m, "matchExpressions") {
		out = append(out, requirement(e, at.Child("matchExpressions").Index(i), false)...)
	}
	return out
}

func nodeTerm(m map[string]any, at engine.Path) []engine.Finding {
	var out []engine.Finding
	for i, e := range rawList(m, "matchExpressions") {
		out = append(out, requirement(e, at.Child("matchExpressions").Index(i), true)...)
	}
	for i, e := range rawList(m, "matchFields") {
		ep := at.Child("matchFields").Index(i)
		key, _ := rawString(e, "key")
		op, _ := rawString(e, "operator")
		if key != "metadata.name" {
			out = append(out, engine.NewFinding(selectorOperatorsMeta, ep.Child("key"),
				"matchFields key %q is not supported; only metadata.name is", key))
		}
		if op != "In" && op != "NotIn" {
			out = append(out, engine.NewFinding(selectorOperatorsMeta, ep.Child("operator"),
				"matchFields operator %q is not supported; use In or NotIn", op))
		} else if len(rawList(e, "values")) != 1 {
			out = append(out, engine.NewFinding(selectorOperatorsMeta, ep, "matchFields needs exactly one value"))
		}
	}
	return out
}

// requirement checks one matchExpressions entry of a label selector, or of
// a node selector term (node), which also allows Gt and Lt.
func requirement(e any, ep engine.Path, node bool) []engine.Finding {
	var out []engine.Finding
	key, _ := rawString(e, "key")
	op, _ := rawString(e, "operator")
	values := rawList(e, "values")
	what := "selector"
	if node {
		what = "node selector"
	}
	if errs := validation.IsQualifiedName(key); len(errs) > 0 {
		out = append(out, engine.NewFinding(selectorOperatorsMeta, ep.Child("key"),
			"%s key %q is not a qualified name: %s", what, key, strings.Join(errs, "; ")))
	}
	switch {
	case op == "In" || op == "NotIn":
		if len(values) == 0 {
			out = append(out, engine.NewFinding(selectorOperatorsMeta, ep, "operator %s needs at least one value", op))
		}
	case op == "Exists" || op == "DoesNotExist":
		if len(values) > 0 {
			out = append(out, engine.NewFinding(selectorOperatorsMeta, ep.Child("values"), "operator %s takes no values", op))
		}
	case node && (op == "Gt" || op == "Lt"):
		switch {
		case len(values) == 0:
			out = append(out, engine.NewFinding(selectorOperatorsMeta, ep, "operator %s needs exactly one value, an integer", op))
		case len(values) > 1:
			out = append(out, engine.NewFinding(selectorOperatorsMeta, ep.Child("values"), "operator %s needs exactly one value, an integer", op))
		default:
			if s, _ := values[0].(string); !isInt(s) {
				out = append(out, engine.NewFinding(selectorOperatorsMeta, ep.Child("values").Index(0),
					"operator %s needs an integer value, not %s", op, shortQuote(s)))
			}
		}
	case node:
		out = append(out, engine.NewFinding(selectorOperatorsMeta, ep.Child("operator"),
			"node selector operator %q is not supported; use In, NotIn, Exists, DoesNotExist, Gt or Lt", op))
	default:
		out = append(out, engine.NewFinding(selectorOperatorsMeta, ep.Child("operator"),
			"label selector operator %q is not supported; use In, NotIn, Exists or DoesNotExist", op))
	}
	return out
}

func isInt(s string) bool {
	_, err := strconv.ParseInt(s, 10, 64)
	return err == nil
}
