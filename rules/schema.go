package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// schemaRule reports the field problems found while decoding an object:
// unknown fields of built-in kinds and values of the wrong type.
type schemaRule struct{}

var schemaMeta = engine.Meta{
	ID:    "schema",
	Title: "Object matches the API schema of its kind",
	Description: "The API server decodes every object into the schema of its kind before anything else " +
		"looks at it. A field the kind does not have (a typo such as imagePullPolice) makes " +
		"`kubectl apply` fail under strict field validation, the default since Kubernetes 1.27, and is " +
		"silently dropped by clients that skip validation, so the setting never takes effect. A value " +
		"of the wrong type (a string where an integer belongs, an unquoted yes that YAML reads as a " +
		"boolean) is rejected outright.",
	Remediation: "Fix the spelling or the nesting of the field (`kubectl explain <kind>.<path>` shows the " +
		"schema), or quote or convert the value to the type the field expects.",
	Severity: engine.Error,
	Kinds:    []string{"*"},
	Source:   "go",
	DocURL:   DocURL("schema"),
}

// Meta describes the rule.
func (schemaRule) Meta() engine.Meta { return schemaMeta }

// Check reports each decoding problem of obj at its path.
func (schemaRule) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	if len(obj.Problems) == 0 {
		return nil, nil
	}
	out := make([]engine.Finding, 0, len(obj.Problems))
	for _, p := range obj.Problems {
		out = append(out, engine.NewFinding(schemaMeta, p.Path, "%s", p.Message))
	}
	return out, nil
}
