package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// Meta describes a rule: everything the docs, `kubegate rules explain`, the
// SARIF driver and the config file need to know about it.
type Meta struct {
	ID          string
	Title       string
	Description string
	Remediation string
	DocURL      string
	// Severity is the default severity of the rule's findings.
	Severity Severity
	// Kinds are the kinds the rule applies to: "Kind" (any group),
	// "group/Kind" ("core/Pod" for the core group) or "*". Empty means all.
	Kinds []string
	// Params documents the parameters Configure accepts.
	Params []ParamDesc
	// Source is "go" or the path of the .rego file that defines the rule.
	Source string
	// Disabled rules run only when enabled by name.
	Disabled bool
}

// ParamDesc documents one rule parameter.
type ParamDesc struct {
	Name        string
	Type        string // "string", "int", "bool", "[]string"
	Description string
	Default     any
}

// Rule is one check. Check sees one object and the inventory of the others;
// it returns findings (data) or an error (a failure of the rule itself, never
// a verdict about the object).
type Rule interface {
	Meta() Meta
	Check(ctx context.Context, obj *Object, inv Inventory) ([]Finding, error)
}

// Configurable is a rule that takes parameters. Configure returns a new rule
// with params applied and leaves the receiver untouched.
type Configurable interface {
	Rule
	Configure(params map[string]any) (Rule, error)
}

// RunPreparer is a rule that needs the whole inventory once before the first
// Check of a run (the Rego rules publish it as data.inventory).
type RunPreparer interface {
	PrepareRun(ctx context.Context, inv Inventory) error
}

// Location is a position in a source file. Line and Column are 1-based; 0
// means unknown.
type Location struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// EndLine and EndColumn close the region the finding is about: the
	// field with its value (see Region). EndColumn is exclusive, the column
	// after the region's last character, as in SARIF. 0 means unknown.
	EndLine   int `json:"endLine,omitempty"`
	EndColumn int `json:"endColumn,omitempty"`
}

// Finding is one thing a rule reports about one object.
type Finding struct {
	RuleID      string
	Severity    Severity
	Message     string
	Object      ObjectRef
	Location    Location
	Path        Path
	Remediation string
	DocURL      string
	// Suppressed findings are reported, marked, but never fail a run.
	Suppressed bool
	// Suppression says what suppressed the finding; nil when Suppressed is
	// false.
	Suppression *Suppression
}

// Suppression is why a finding is suppressed. SARIF reports it as a
// suppression ("inSource" for an annotation, "external" for the config).
type Suppression struct {
	// Kind is SuppressedByAnnotation or SuppressedByConfig.
	Kind string `json:"kind"`
	// Reason is the justification given (the kubegate.io/ignore-reason
	// annotation, or the exemption's reason in the config), "" if none.
	Reason string `json:"reason,omitempty"`
}

// Suppression kinds.
const (
	// SuppressedByAnnotation: a kubegate.io/ignore annotation on the object
	// or its pod template names the rule.
	SuppressedByAnnotation = "annotation"
	// SuppressedByConfig: an exemption in the configuration file covers the
	// object.
	SuppressedByConfig = "config"
)

// NewFinding is what rules call: a finding of m's default severity at path.
// The engine fills in the object, the location, the remediation and the doc
// URL.
func NewFinding(m Meta, path Path, format string, args ...any) Finding {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return Finding{RuleID: m.ID, Severity: m.Severity, Message: msg, Path: path}
}

// DecodeParams strictly decodes rule parameters into dst, a pointer to a
// struct with json tags: an unknown parameter (compared case-sensitively,
// unlike encoding/json's field matching), or a value of the wrong type, is
// an error that names the rule.
func DecodeParams(ruleID string, params map[string]any, dst any) error {
	known := jsonFieldNames(reflect.TypeOf(dst))
	for k := range params {
		if !known[k] {
			names := slices.Sorted(maps.Keys(known))
			return fmt.Errorf("decode parameters of %s: unknown parameter %q (known: %s)", ruleID, k, strings.Join(names, ", "))
		}
	}
	b, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("encode parameters of %s: %w", ruleID, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return fmt.Errorf("decode parameters of %s: %w", ruleID, err)
	}
	return nil
}

// MatchesKind reports whether the rule described by m applies to gvk.
func (m Meta) MatchesKind(gvk GVK) bool {
	if len(m.Kinds) == 0 {
		return true
	}
	for _, p := range m.Kinds {
		if p == "*" {
			return true
		}
		group, kind, hasGroup := strings.Cut(p, "/")
		if !hasGroup {
			if p == gvk.Kind {
				return true
			}
			continue
		}
		if group == "core" {
			group = ""
		}
		if group == gvk.Group && (kind == gvk.Kind || kind == "*") {
			return true
		}
	}
	return false
}

// jsonFieldNames returns the JSON names of a struct type's exported fields.
func jsonFieldNames(t reflect.Type) map[string]bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	names := map[string]bool{}
	if t.Kind() != reflect.Struct {
		return names
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		names[name] = true
	}
	return names
}
