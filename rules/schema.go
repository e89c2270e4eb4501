package rules

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/agnivade/levenshtein"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/schema"
)

// schemaRule validates every object against the JSON schema of its kind:
// the embedded schema of the chosen Kubernetes release for built-in kinds,
// the CRD's for custom resources.
type schemaRule struct {
	version        schema.Version
	strict         bool
	requireSchemas bool
	lifecycle      *schema.LifecycleIndex
	// state is what PrepareRun built for the current run: the release's
	// registry with the run's CRDs registered.
	state *atomic.Pointer[schemaState]
}

type schemaState struct {
	reg *schema.Registry
	// crdErrs are the problems of CRD objects whose schema could not be
	// used, keyed by the CRD object.
	crdErrs map[*engine.Object][]schema.Error
}

func newSchemaRule() schemaRule {
	return schemaRule{
		version:   schema.Latest(),
		strict:    true,
		lifecycle: schema.NewLifecycleIndex(),
		state:     &atomic.Pointer[schemaState]{},
	}
}

var schemaMeta = engine.Meta{
	ID:    "schema",
	Title: "Object matches the API schema of its kind",
	Description: "The API server decodes every object into the schema of its kind before anything else " +
		"looks at it. kubegate embeds the OpenAPI v3 schemas of the last five Kubernetes releases (from " +
		"the published k8s.io/kubernetes module) and validates every built-in object against the chosen " +
		"release's, offline: a field the kind does not have (a typo such as imagePullPolice) is an error, " +
		"as it is under strict field validation, kubectl's default since 1.27; a value of the wrong type " +
		"(a string where an integer belongs, an unquoted yes that YAML reads as a boolean), a malformed " +
		"quantity or timestamp, and a missing required field are rejected. A CustomResourceDefinition in " +
		"the input or under --crds registers the schema of each served version, and custom resources are " +
		"validated against it, x-kubernetes-validations CEL rules included. An apiVersion or kind the " +
		"release does not serve is an error; a custom resource with no known schema is a warning.",
	Remediation: "Fix the spelling or the nesting of the field (`kubectl explain <kind>.<path>` shows the " +
		"schema), or quote or convert the value to the type the field expects. For a custom resource, " +
		"pass its CRD with --crds.",
	Severity: engine.Error,
	Kinds:    []string{"*"},
	Params: []engine.ParamDesc{
		{Name: "kubernetesVersion", Type: "string", Default: schema.Latest().String(),
			Description: "The Kubernetes release whose schemas to use, 1.33 to 1.37 (also set by --kubernetes-version)."},
		{Name: "strict", Type: "bool", Default: "true",
			Description: "Unknown fields are errors, as under the API server's strict field validation; false makes them warnings (also set by --strict)."},
		{Name: "requireSchemas", Type: "bool", Default: "false",
			Description: "A custom resource with no known schema is an error instead of a warning (also set by --require-schemas)."},
	},
	Source: "go",
	DocURL: DocURL("schema"),
}

// Meta describes the rule.
func (schemaRule) Meta() engine.Meta { return schemaMeta }

// Configure sets the release, strictness and whether schemas are required.
func (r schemaRule) Configure(params map[string]any) (engine.Rule, error) {
	var p struct {
		KubernetesVersion *string `json:"kubernetesVersion"`
		Strict            *bool   `json:"strict"`
		RequireSchemas    *bool   `json:"requireSchemas"`
	}
	if err := engine.DecodeParams(schemaMeta.ID, params, &p); err != nil {
		return nil, err
	}
	if p.KubernetesVersion != nil {
		v, err := schema.ParseVersion(*p.KubernetesVersion)
		if err != nil {
			return nil, fmt.Errorf("configure %s: %w", schemaMeta.ID, err)
		}
		if _, err := registryFor(v); err != nil {
			return nil, fmt.Errorf("configure %s: %w", schemaMeta.ID, err)
		}
		r.version = v
	}
	if p.Strict != nil {
		r.strict = *p.Strict
	}
	if p.RequireSchemas != nil {
		r.requireSchemas = *p.RequireSchemas
	}
	r.state = &atomic.Pointer[schemaState]{}
	return r, nil
}

// registries shares one registry, with its cache of compiled schemas, per
// release among all the rule values of a process.
var registries sync.Map // schema.Version -> *schema.Registry

func registryFor(v schema.Version) (*schema.Registry, error) {
	if r, ok := registries.Load(v); ok {
		return r.(*schema.Registry), nil
	}
	r, err := schema.New(v)
	if err != nil {
		return nil, err
	}
	actual, _ := registries.LoadOrStore(v, r)
	return actual.(*schema.Registry), nil
}

var crdGK = engine.GroupKind{Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition"}

// PrepareRun registers the CRDs of the inventory.
func (r schemaRule) PrepareRun(_ context.Context, inv engine.Inventory) error {
	reg, err := registryFor(r.version)
	if err != nil {
		return err
	}
	st := &schemaState{reg: reg}
	var crds []map[string]any
	var objs []*engine.Object
	if inv != nil {
		for _, o := range inv.List(crdGK, "") {
			if o.APIVersion == "apiextensions.k8s.io/v1" {
				crds = append(crds, o.Raw)
				objs = append(objs, o)
			}
		}
	}
	if len(crds) > 0 {
		withCRDs, problems := reg.WithCRDs(crds)
		st.reg = withCRDs
		for i, errs := range problems {
			if len(errs) > 0 {
				if st.crdErrs == nil {
					st.crdErrs = map[*engine.Object][]schema.Error{}
				}
				st.crdErrs[objs[i]] = errs
			}
		}
	}
	r.state.Store(st)
	return nil
}

func (r schemaRule) current() (*schemaState, error) {
	if st := r.state.Load(); st != nil {
		return st, nil
	}
	// Check without PrepareRun (a rule used on its own): built-in kinds only.
	reg, err := registryFor(r.version)
	if err != nil {
		return nil, err
	}
	return &schemaState{reg: reg}, nil
}

// Check validates obj against the schema of its kind.
func (r schemaRule) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	if obj.APIVersion == "" || obj.Kind == "" || obj.Raw == nil {
		return nil, nil
	}
	st, err := r.current()
	if err != nil {
		return nil, err
	}
	errs, status, err := st.reg.Validate(obj.APIVersion, obj.Kind, obj.Raw)
	if err != nil {
		return nil, fmt.Errorf("validate %s %s: %w", obj.APIVersion, obj.Kind, err)
	}
	out := r.findings(errs)
	out = append(out, r.findings(st.crdErrs[obj])...)
	if status == schema.Unknown {
		out = append(out, r.unknownKind(st.reg, obj)...)
	}
	return out, nil
}

func (r schemaRule) findings(errs []schema.Error) []engine.Finding {
	out := make([]engine.Finding, 0, len(errs))
	for _, e := range errs {
		p := toPath(e.Path)
		var f engine.Finding
		switch e.Type {
		case schema.UnknownField:
			f = engine.NewFinding(schemaMeta, p, "unknown field %q", p.String())
			if !r.strict {
				f.Severity = engine.Warning
			}
		case schema.Required:
			f = engine.NewFinding(schemaMeta, p, "%s is required", p.String())
		default:
			if len(p) == 0 {
				f = engine.NewFinding(schemaMeta, p, "%s", e.Detail)
			} else {
				f = engine.NewFinding(schemaMeta, p, "%s %s", p.String(), e.Detail)
			}
		}
		out = append(out, f)
	}
	return out
}

// unknownKind explains an object the registry has no schema for: an API the
// release does not serve, a misspelt kind, or a custom resource without its
// CRD.
func (r schemaRule) unknownKind(reg *schema.Registry, obj *engine.Object) []engine.Finding {
	if l, ok := r.lifecycle.Lookup(obj.APIVersion, obj.Kind); ok && l.Removed(r.version) {
		return nil // deprecated-api says when it was removed and what replaces it
	}
	group := obj.GVK.Group
	builtinGroup := group == "" && !strings.Contains(obj.APIVersion, "/") || reg.HasGroup(group)
	if builtinGroup {
		if vs := reg.ServedVersions(group, obj.Kind); len(vs) > 0 {
			return []engine.Finding{engine.NewFinding(schemaMeta, engine.NewPath("apiVersion"),
				"Kubernetes %s does not serve %s in %s; use %s", reg.Version(), obj.Kind, obj.APIVersion, joinAPIVersions(group, vs))}
		}
	}
	if v, ok := schema.FirstServed(obj.APIVersion, obj.Kind); ok {
		return []engine.Finding{engine.NewFinding(schemaMeta, engine.NewPath("apiVersion"),
			"Kubernetes %s does not serve %s %s yet; it is served from %s (see --kubernetes-version)", reg.Version(), obj.APIVersion, obj.Kind, v)}
	}
	if builtinGroup {
		msg := fmt.Sprintf("Kubernetes %s has no kind %q in %s", reg.Version(), obj.Kind, obj.APIVersion)
		if s := suggestKind(reg, obj.Kind); s != "" {
			msg += "; did you mean " + s + "?"
		}
		return []engine.Finding{engine.NewFinding(schemaMeta, engine.NewPath("kind"), "%s", msg)}
	}
	f := engine.NewFinding(schemaMeta, engine.NewPath("apiVersion"),
		"no schema for %s %s: no CustomResourceDefinition for it in the input or under --crds, so its fields are not checked",
		obj.APIVersion, obj.Kind)
	if !r.requireSchemas {
		f.Severity = engine.Warning
	}
	return []engine.Finding{f}
}

func joinAPIVersions(group string, versions []string) string {
	out := make([]string, len(versions))
	for i, v := range versions {
		if group == "" {
			out[i] = v
		} else {
			out[i] = group + "/" + v
		}
	}
	return strings.Join(out, " or ")
}

// suggestKind finds the served kind closest to kind: the same name in
// another case, or one or two letters off.
func suggestKind(reg *schema.Registry, kind string) string {
	best, bestD := "", 3
	cands := reg.AllKinds() // sorted, so ties go the same way every run
	for _, c := range cands {
		apiVersion, name, _ := strings.Cut(c, " ")
		if strings.HasSuffix(name, "List") && !strings.HasSuffix(kind, "List") {
			continue
		}
		d := levenshtein.ComputeDistance(strings.ToLower(kind), strings.ToLower(name))
		if strings.EqualFold(kind, name) {
			d = 0
		}
		if d < bestD {
			best, bestD = name+" ("+apiVersion+")", d
		}
	}
	return best
}

// toPath converts a schema error path (string keys, int indices).
func toPath(p []any) engine.Path {
	out := make(engine.Path, 0, len(p))
	for _, e := range p {
		switch v := e.(type) {
		case int:
			out = append(out, engine.PathElem{Index: v, IsIndex: true})
		default:
			out = append(out, engine.PathElem{Key: fmt.Sprint(v)})
		}
	}
	return out
}
