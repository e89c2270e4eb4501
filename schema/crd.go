package schema

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"k8s.io/apiextensions-apiserver/pkg/apihelpers"
	apiextensionsinternal "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	crdvalidation "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/validation"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"

	"github.com/kubegate/kubegate/schema/internal/openapi"
)

// crdSchema is the compiled schema of one served version of a CRD.
type crdSchema struct {
	compiled   *compiled
	structural *structuralschema.Structural
	// cel evaluates the x-kubernetes-validations rules; nil when the
	// schema has none.
	cel *cel.Validator
}

// WithCRDs returns a registry that also knows the given CRDs (objects of
// apiextensions.k8s.io/v1 CustomResourceDefinition as JSON-compatible
// values), and for each CRD the problems the API server would reject it
// for. A CRD it would reject registers nothing. The receiver is unchanged.
func (r *Registry) WithCRDs(crds []map[string]any) (*Registry, [][]Error) {
	out := *r
	out.crds = make(map[string]*crdSchema, len(r.crds)+len(crds))
	for k, v := range r.crds {
		out.crds[k] = v
	}
	problems := make([][]Error, len(crds))
	for i, raw := range crds {
		schemas, errs := compileCRD(raw)
		problems[i] = errs
		for key, s := range schemas {
			out.crds[key] = s
		}
	}
	return &out, problems
}

// compileCRD validates a CRD as the API server does on create and compiles
// the schema of each served version, keyed "group/version Kind".
func compileCRD(raw map[string]any) (map[string]*crdSchema, []Error) {
	crd := &apiextensionsv1.CustomResourceDefinition{}
	if err := runtime.DefaultUnstructuredConverter.FromUnstructured(raw, crd); err != nil {
		// The schema rule reports the type errors at their fields; a CRD
		// that does not decode cannot register anything.
		return nil, nil
	}
	apiextensionsv1.SetObjectDefaults_CustomResourceDefinition(crd)
	internal := &apiextensionsinternal.CustomResourceDefinition{}
	if err := apiextensionsv1.Convert_v1_CustomResourceDefinition_To_apiextensions_CustomResourceDefinition(crd, internal, nil); err != nil {
		return nil, []Error{{Detail: fmt.Sprintf("cannot read the CustomResourceDefinition: %v", err)}}
	}
	if errs := fieldErrors(crdvalidation.ValidateCustomResourceDefinition(context.Background(), internal)); len(errs) > 0 {
		return nil, errs
	}

	out := map[string]*crdSchema{}
	var problems []Error
	for i, v := range crd.Spec.Versions {
		if !v.Served {
			continue
		}
		val, err := apihelpers.GetSchemaForVersion(crd, v.Name)
		if err != nil || val == nil || val.OpenAPIV3Schema == nil {
			continue
		}
		at := []any{"spec", "versions", i, "schema", "openAPIV3Schema"}
		s, err := compileCRDVersion(crd, v.Name, val, rawSchema(raw, i))
		if err != nil {
			problems = append(problems, Error{Path: at, Detail: "cannot be used to validate: " + err.Error()})
			continue
		}
		key := crd.Spec.Group + "/" + v.Name + " " + crd.Spec.Names.Kind
		out[key] = s
	}
	return out, problems
}

// rawSchema is spec.versions[i].schema.openAPIV3Schema as written.
func rawSchema(raw map[string]any, i int) map[string]any {
	spec, _ := raw["spec"].(map[string]any)
	versions, _ := spec["versions"].([]any)
	if i >= len(versions) {
		return nil
	}
	v, _ := versions[i].(map[string]any)
	sch, _ := v["schema"].(map[string]any)
	s, _ := sch["openAPIV3Schema"].(map[string]any)
	return s
}

func compileCRDVersion(crd *apiextensionsv1.CustomResourceDefinition, version string, val *apiextensionsv1.CustomResourceValidation, raw map[string]any) (*crdSchema, error) {
	if raw == nil {
		// The schema came from elsewhere (never for v1 CRDs, which carry
		// one per version); go through JSON to get the same shape.
		b, err := json.Marshal(val.OpenAPIV3Schema)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &raw); err != nil {
			return nil, err
		}
	}
	doc := openapi.Convert(raw, openapi.Options{CRD: true})
	// Every custom resource has apiVersion, kind and metadata, whether or
	// not the CRD's schema lists them.
	props, _ := doc["properties"].(map[string]any)
	if props == nil && !crd.Spec.PreserveUnknownFields {
		props = map[string]any{}
		doc["properties"] = props
		if _, has := doc["additionalProperties"]; !has && !preserves(raw) {
			doc["additionalProperties"] = false
		}
	}
	if props != nil {
		for _, name := range []string{"apiVersion", "kind"} {
			if props[name] == nil {
				props[name] = map[string]any{"type": "string"}
			}
		}
		if props["metadata"] == nil {
			props["metadata"] = map[string]any{"type": "object"}
		}
	}
	doc["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	url := "mem:///crd/" + crd.Name + "/" + version
	js, parsed, err := compileDoc(url, b)
	if err != nil {
		return nil, err
	}
	out := &crdSchema{compiled: &compiled{schema: js, doc: parsed}}

	internal := &apiextensionsinternal.CustomResourceValidation{}
	if err := apiextensionsv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(val, internal, nil); err != nil {
		return nil, err
	}
	ss, err := structuralschema.NewStructural(internal.OpenAPIV3Schema)
	if err != nil {
		return nil, err
	}
	ss = ss.DeepCopy()
	if err := structuraldefaulting.PruneDefaults(ss); err != nil {
		return nil, err
	}
	out.structural = ss
	if hasValidations(ss) {
		// The API server's own evaluator: the Kubernetes CEL libraries,
		// its cost limits, messageExpression, fieldPath and reason.
		out.cel = cel.NewValidator(ss, true, celconfig.PerCallLimit)
	}
	return out, nil
}

func preserves(raw map[string]any) bool {
	b, _ := raw["x-kubernetes-preserve-unknown-fields"].(bool)
	return b
}

func hasValidations(s *structuralschema.Structural) bool {
	if s == nil {
		return false
	}
	if len(s.XValidations) > 0 {
		return true
	}
	for _, p := range s.Properties {
		if hasValidations(&p) {
			return true
		}
	}
	if s.Items != nil && hasValidations(s.Items) {
		return true
	}
	if s.AdditionalProperties != nil && s.AdditionalProperties.Structural != nil {
		return hasValidations(s.AdditionalProperties.Structural)
	}
	return false
}

// validate checks a custom resource: its schema first, then, when the
// schema holds, the CEL rules on the object as the API server sees it
// after defaulting (on create there is no oldSelf).
func (c *crdSchema) validate(obj map[string]any) []Error {
	errs := explain(c.compiled.schema.Validate(obj), c.compiled.doc, obj)
	if c.cel == nil || len(errs) > 0 {
		return errs
	}
	defaulted := runtime.DeepCopyJSON(obj)
	structuraldefaulting.Default(defaulted, c.structural)
	fe, _ := c.cel.Validate(context.Background(), nil, c.structural, defaulted, nil, celconfig.RuntimeCELCostBudget)
	return dedupErrors(append(errs, fieldErrors(fe)...))
}

// fieldErrors turns the API server's field errors into Errors.
func fieldErrors(list field.ErrorList) []Error {
	out := make([]Error, 0, len(list))
	for _, e := range list {
		x := Error{Path: parseFieldPath(e.Field)}
		switch e.Type {
		case field.ErrorTypeRequired:
			x.Type = Required
			if e.Detail != "" {
				x.Type, x.Detail = Invalid, "is required: "+e.Detail
			}
		case field.ErrorTypeNotSupported:
			x.Detail = fmt.Sprintf("%s is not supported: %s", badValue(e.BadValue), e.Detail)
		case field.ErrorTypeForbidden:
			x.Detail = "is forbidden: " + e.Detail
		case field.ErrorTypeDuplicate:
			x.Detail = fmt.Sprintf("holds %s twice", badValue(e.BadValue))
		case field.ErrorTypeTooLong, field.ErrorTypeTooMany:
			x.Detail = "is too long: " + e.Detail
		case field.ErrorTypeInternal:
			x.Detail = "could not be checked: " + e.Detail
		default:
			x.Detail = "is invalid: " + e.Detail
			if e.Detail == "" {
				x.Detail = fmt.Sprintf("is invalid: %s", badValue(e.BadValue))
			}
		}
		out = append(out, x)
	}
	return out
}

func badValue(v any) string {
	switch v.(type) {
	case string, int, int64, float64, bool, nil:
		return short(v)
	}
	return fmt.Sprint(v)
}

// parseFieldPath reads a field.Path string such as
// spec.versions[0].schema.openAPIV3Schema.properties[spec].type.
func parseFieldPath(s string) []any {
	s = strings.TrimPrefix(s, "<nil>")
	var out []any
	for s != "" {
		switch s[0] {
		case '.':
			s = s[1:]
		case '[':
			end := strings.IndexByte(s, ']')
			if end < 0 {
				return append(out, s)
			}
			inner := s[1:end]
			if n, err := strconv.Atoi(inner); err == nil {
				out = append(out, n)
			} else {
				out = append(out, inner)
			}
			s = s[end+1:]
		default:
			end := strings.IndexAny(s, ".[")
			if end < 0 {
				end = len(s)
			}
			out = append(out, s[:end])
			s = s[end:]
		}
	}
	return out
}
