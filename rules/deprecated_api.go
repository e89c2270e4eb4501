package rules

import (
	"context"
	"fmt"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/schema"
)

// deprecatedAPI reports objects written in a built-in API version that the
// target Kubernetes release no longer serves (an error: kubectl apply fails
// with "no matches for kind") or serves with a deprecation warning.
type deprecatedAPI struct {
	index  *schema.LifecycleIndex
	target schema.Version
}

func newDeprecatedAPI() deprecatedAPI {
	return deprecatedAPI{index: schema.NewLifecycleIndex(), target: schema.Latest()}
}

var deprecatedAPIMeta = engine.Meta{
	ID:    "deprecated-api",
	Title: "API version is served by the target Kubernetes release",
	Description: "Kubernetes deprecates beta and alpha API versions once their successor ships and stops " +
		"serving them a few releases later. A manifest in a removed version fails to apply (\"no matches " +
		"for kind\"); one in a deprecated version applies with a warning and breaks at the upgrade that " +
		"removes it. The table covers every built-in API deprecated or removed since 1.16: the lifecycle " +
		"k8s.io/api generates for the types it still has (what the API server itself uses), plus the " +
		"releases of the APIs whose types are gone. Removed versions are errors, deprecated ones warnings, " +
		"for the release given by --target-version (default: the newest release kubegate knows).",
	Remediation: "Move the object to the replacement apiVersion the message names, with the field changes it " +
		"lists; `kubectl convert` can help for simple cases.",
	Severity: engine.Error,
	Kinds:    []string{"*"},
	Params: []engine.ParamDesc{{
		Name:        "targetVersion",
		Type:        "string",
		Description: "The Kubernetes release to check against, such as 1.29 (also set by --target-version).",
		Default:     schema.Latest().String(),
	}},
	Source: "go",
	DocURL: DocURL("deprecated-api"),
}

// Meta describes the rule.
func (deprecatedAPI) Meta() engine.Meta { return deprecatedAPIMeta }

// Configure sets targetVersion.
func (r deprecatedAPI) Configure(params map[string]any) (engine.Rule, error) {
	var p struct {
		TargetVersion *string `json:"targetVersion"`
	}
	if err := engine.DecodeParams(deprecatedAPIMeta.ID, params, &p); err != nil {
		return nil, err
	}
	if p.TargetVersion != nil {
		v, err := schema.ParseVersion(*p.TargetVersion)
		if err != nil {
			return nil, fmt.Errorf("configure %s: %w", deprecatedAPIMeta.ID, err)
		}
		r.target = v
	}
	return r, nil
}

// Check reports the object's apiVersion, at the apiVersion key.
func (r deprecatedAPI) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	l, ok := r.index.Lookup(obj.APIVersion, obj.Kind)
	if !ok {
		return nil, nil
	}
	var use string
	switch {
	case l.Replacement != "" && l.Note != "":
		use = "; use " + l.Replacement + " (" + l.Note + ")"
	case l.Replacement != "":
		use = "; use " + l.Replacement
	case l.Note != "":
		use = "; " + l.Note
	}
	at := engine.NewPath("apiVersion")
	switch {
	case l.Removed(r.target):
		return []engine.Finding{engine.NewFinding(deprecatedAPIMeta, at,
			"%s %s was removed in Kubernetes %s%s", l.APIVersion, l.Kind, l.RemovedIn, use)}, nil
	case l.Deprecated(r.target):
		until := "has no removal date yet"
		if !l.RemovedIn.IsZero() {
			until = "is removed in " + l.RemovedIn.String()
		}
		f := engine.NewFinding(deprecatedAPIMeta, at,
			"%s %s is deprecated since Kubernetes %s and %s%s", l.APIVersion, l.Kind, l.DeprecatedIn, until, use)
		f.Severity = engine.Warning
		return []engine.Finding{f}, nil
	}
	return nil, nil
}
