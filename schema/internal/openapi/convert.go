// Package openapi turns the Kubernetes flavour of OpenAPI v3 schemas (the
// published api/openapi-spec/v3 documents and the openAPIV3Schema of a
// CustomResourceDefinition) into JSON Schema 2020-12 that
// santhosh-tekuri/jsonschema compiles. The generator uses it at build time
// for built-in kinds and the schema package at run time for CRDs, so both
// follow the same rules.
package openapi

import (
	"sort"
	"strings"
)

// Options says how to convert.
type Options struct {
	// RefPrefix is the prefix of references in the input
	// ("#/components/schemas/"); they are rewritten to "#/$defs/".
	RefPrefix string
	// CRD marks a CustomResourceDefinition schema, where a field with no
	// nullable: true rejects null (built-in kinds treat null as absent, and
	// the validator drops nulls before it sees them).
	CRD bool
}

// dropped are the keys that do not affect validation: documentation, merge
// strategies for clients, and defaults (the API server applies defaults, it
// does not validate them).
var dropped = map[string]bool{
	"description":                          true,
	"default":                              true,
	"example":                              true,
	"externalDocs":                         true,
	"title":                                true,
	"x-kubernetes-patch-strategy":          true,
	"x-kubernetes-patch-merge-key":         true,
	"x-kubernetes-map-type":                true,
	"x-kubernetes-unions":                  true,
	"x-kubernetes-group-version-kind":      true,
	"x-kubernetes-list-type":               true,
	"x-kubernetes-list-map-keys":           true,
	"x-kubernetes-validations":             true,
	"x-kubernetes-embedded-resource":       true,
	"x-kubernetes-preserve-unknown-fields": true,
	"x-kubernetes-int-or-string":           true,
	"nullable":                             true,
	"discriminator":                        true,
}

// Convert returns a converted copy of the schema node s; s is not modified.
func Convert(s map[string]any, opts Options) map[string]any {
	return convert(s, opts)
}

func convert(s map[string]any, opts Options) map[string]any {
	out := make(map[string]any, len(s))
	for k, v := range s {
		if dropped[k] {
			continue
		}
		switch k {
		case "$ref":
			ref, _ := v.(string)
			if opts.RefPrefix != "" && strings.HasPrefix(ref, opts.RefPrefix) {
				ref = "#/$defs/" + strings.TrimPrefix(ref, opts.RefPrefix)
			}
			out[k] = ref
		case "properties", "patternProperties", "$defs", "definitions":
			m, _ := v.(map[string]any)
			props := make(map[string]any, len(m))
			for name, p := range m {
				if pm, ok := p.(map[string]any); ok {
					props[name] = convert(pm, opts)
				}
			}
			out[k] = props
		case "items", "additionalProperties", "not":
			if m, ok := v.(map[string]any); ok {
				out[k] = convert(m, opts)
			} else {
				out[k] = v
			}
		case "allOf", "anyOf", "oneOf":
			list, _ := v.([]any)
			conv := make([]any, 0, len(list))
			for _, e := range list {
				if m, ok := e.(map[string]any); ok {
					conv = append(conv, convert(m, opts))
				}
			}
			out[k] = conv
		default:
			out[k] = v
		}
	}

	// allOf: [{$ref}] is how OpenAPI v3 attaches a description or default
	// to a reference; with those gone, the reference stands alone.
	if all, ok := out["allOf"].([]any); ok && len(all) == 1 {
		if ref, ok := all[0].(map[string]any); ok && len(ref) == 1 && ref["$ref"] != nil {
			if _, has := out["$ref"]; !has {
				delete(out, "allOf")
				out["$ref"] = ref["$ref"]
			}
		}
	}

	// oneOf of bare types (IntOrString, Quantity) becomes a type list: the
	// same meaning, and a message that names both types.
	if one, ok := out["oneOf"].([]any); ok {
		var types []any
		for _, e := range one {
			m, ok := e.(map[string]any)
			if !ok || len(m) != 1 || m["type"] == nil {
				types = nil
				break
			}
			types = append(types, m["type"])
		}
		if types != nil && out["type"] == nil {
			delete(out, "oneOf")
			out["type"] = types
		}
	}

	if b, _ := s["x-kubernetes-int-or-string"].(bool); b {
		out["type"] = []any{"integer", "string"}
		delete(out, "anyOf")
		delete(out, "oneOf")
	}

	preserve, _ := s["x-kubernetes-preserve-unknown-fields"].(bool)
	embedded, _ := s["x-kubernetes-embedded-resource"].(bool)
	if embedded {
		// An embedded object (a Pod template in a CRD, say) carries its own
		// apiVersion, kind and metadata, which the API server requires.
		props, _ := out["properties"].(map[string]any)
		if props == nil {
			props = map[string]any{}
		}
		for _, name := range []string{"apiVersion", "kind"} {
			if props[name] == nil {
				props[name] = map[string]any{"type": "string"}
			}
		}
		if props["metadata"] == nil {
			props["metadata"] = map[string]any{"type": "object"}
		}
		if !preserve || len(props) > 3 {
			out["properties"] = props
		}
		out["required"] = mergeRequired(out["required"], "apiVersion", "kind")
	}

	// Strict field validation: an object that lists its properties and says
	// nothing of others rejects others, as the API server's strict decoding
	// does (kubectl's default since 1.27).
	if _, hasProps := out["properties"]; hasProps && !preserve {
		if _, has := out["additionalProperties"]; !has {
			out["additionalProperties"] = false
		}
	}
	if preserve {
		delete(out, "additionalProperties")
		if _, hasProps := out["properties"]; !hasProps && out["type"] == nil {
			out["type"] = "object"
		}
	}

	if opts.CRD {
		if n, _ := s["nullable"].(bool); n {
			out["type"] = withNull(out["type"])
			if enum, ok := out["enum"].([]any); ok {
				out["enum"] = append(enum, nil)
			}
		}
	}
	return out
}

func withNull(t any) any {
	switch v := t.(type) {
	case string:
		return []any{v, "null"}
	case []any:
		return append(v, "null")
	}
	return nil // no type: null already passes
}

func mergeRequired(have any, names ...string) []any {
	seen := map[string]bool{}
	var out []any
	list, _ := have.([]any)
	for _, e := range list {
		if s, ok := e.(string); ok && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, n := range names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].(string) < out[j].(string) })
	return out
}

// Refs returns the definition names that s refers to (after conversion, so
// references read "#/$defs/NAME").
func Refs(s any, into map[string]bool) {
	switch v := s.(type) {
	case map[string]any:
		for k, e := range v {
			if k == "$ref" {
				if ref, ok := e.(string); ok && strings.HasPrefix(ref, "#/$defs/") {
					into[strings.TrimPrefix(ref, "#/$defs/")] = true
				}
				continue
			}
			Refs(e, into)
		}
	case []any:
		for _, e := range v {
			Refs(e, into)
		}
	}
}
