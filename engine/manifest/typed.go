package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/runtime"

	"github.com/kubegate/kubegate/engine"
)

// decodeTyped fills obj.Typed for kinds the scheme knows. Unknown fields
// become problems at their path, as the API server's strict field
// validation rejects them. A value of the wrong type becomes a problem at
// that value, and the object keeps every field that did decode, so rules
// still see it.
func (p *Parser) decodeTyped(obj *engine.Object) {
	if !p.scheme.Recognizes(obj.GVK) {
		return
	}
	typed, err := p.scheme.New(obj.GVK)
	if err != nil {
		return
	}
	raw, copied := obj.Raw, false
	for range maxTypeProblems {
		err = safeFromUnstructured(raw, typed)
		if err == nil {
			obj.Typed = typed
			return
		}
		// The converter's errors name no field. Decoding through JSON names
		// it (without indices); find it, report it, blank it in a copy and
		// decode again, so one bad value hides neither the others nor the
		// unknown fields, and rules still see every field that is right.
		problem := locateDecodeError(raw, obj.GVK, p)
		if problem.Message == "" {
			problem.Message = err.Error()
		}
		if problem.Path == nil {
			problem.Message = fmt.Sprintf("cannot decode as %s %s: %s", obj.APIVersion, obj.Kind, problem.Message)
		}
		obj.Problems = append(obj.Problems, problem)
		if problem.Path == nil {
			return
		}
		if !copied {
			raw, copied = runtime.DeepCopyJSON(obj.Raw), true
		}
		setPath(raw, problem.Path, nil)
		typed, _ = p.scheme.New(obj.GVK)
	}
}

// maxTypeProblems bounds the decode-and-blank loop of decodeTyped; past it
// the object stays unstructured.
const maxTypeProblems = 16

// setPath sets the value at path (which must exist) in a JSON-like tree.
func setPath(v any, path engine.Path, val any) {
	for i, e := range path {
		last := i == len(path)-1
		switch t := v.(type) {
		case map[string]any:
			if last {
				t[e.Key] = val
				return
			}
			v = t[e.Key]
		case []any:
			if e.Index >= len(t) {
				return
			}
			if last {
				t[e.Index] = val
				return
			}
			v = t[e.Index]
		default:
			return
		}
	}
}

func safeFromUnstructured(raw map[string]any, typed runtime.Object) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("decoder panicked: %v", r)
		}
	}()
	// Unknown fields are not looked for: the schema rule reports them
	// against the chosen release's schema, and looking costs a fifth of
	// the decode.
	return runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(raw, typed, false)
}

// locateDecodeError decodes raw into a fresh object of gvk with
// encoding/json and turns the first type mismatch into a problem at the
// offending value.
func locateDecodeError(raw map[string]any, gvk engine.GVK, p *Parser) engine.FieldProblem {
	b, err := json.Marshal(raw)
	if err != nil {
		return engine.FieldProblem{}
	}
	scratch, err := p.scheme.New(gvk)
	if err != nil {
		return engine.FieldProblem{}
	}
	err = json.NewDecoder(bytes.NewReader(b)).Decode(scratch)
	var ute *json.UnmarshalTypeError
	if !errors.As(err, &ute) {
		if err != nil {
			return engine.FieldProblem{Message: err.Error()}
		}
		return engine.FieldProblem{}
	}
	got := strings.Fields(ute.Value)[0] // "number 1.5" -> "number"
	want := jsonTypeName(ute.Type.Kind().String())
	path := findValueOfType(raw, strings.Split(ute.Field, "."), got, nil)
	field := ute.Field
	if path != nil {
		field = path.String()
	}
	msg := fmt.Sprintf("%s must be %s, not %s", field, want, article(got))
	switch {
	case got == "bool" && want == "a string":
		msg += " (unquoted yes/no/on/off/true/false are booleans in YAML; quote the value)"
	case got == "number" && want == "a string":
		msg += " (quote the value)"
	}
	return engine.FieldProblem{Path: path, Message: msg}
}

func jsonTypeName(goKind string) string {
	switch goKind {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "an integer"
	case "float32", "float64":
		return "a number"
	case "slice", "array":
		return "a list"
	case "map", "struct":
		return "an object"
	default:
		return "a " + goKind
	}
}

func article(jsonType string) string {
	switch jsonType {
	case "bool":
		return "a boolean"
	case "array":
		return "a list"
	case "object":
		return "an object"
	default:
		return "a " + jsonType
	}
}

// findValueOfType finds the first value along keys (a dotted path without
// sequence indices, as encoding/json reports it) whose JSON type is want,
// trying every item of the sequences on the way, and returns its full path.
func findValueOfType(v any, keys []string, want string, prefix engine.Path) engine.Path {
	if len(keys) == 0 && jsonTypeOf(v) == want {
		return prefix
	}
	if m, ok := v.(map[string]any); ok && len(keys) == 0 {
		// A map field (labels, data): encoding/json names the map, not
		// the key whose value is wrong.
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if jsonTypeOf(m[k]) == want {
				return prefix.Child(k)
			}
		}
		return nil
	}
	switch t := v.(type) {
	case []any:
		for i, item := range t {
			if p := findValueOfType(item, keys, want, prefix.Index(i)); p != nil {
				return p
			}
		}
	case map[string]any:
		if len(keys) > 0 {
			if child, ok := t[keys[0]]; ok {
				return findValueOfType(child, keys[1:], want, prefix.Child(keys[0]))
			}
		}
	}
	return nil
}

// unknownFieldProblem turns apimachinery's `unknown field "a.b[0].c"` into a
// problem located at that field.
func jsonTypeOf(v any) string {
	switch v.(type) {
	case bool:
		return "bool"
	case string:
		return "string"
	case int64, float64:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return "null"
	}
}
