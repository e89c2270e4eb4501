package schema

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// ErrorType says what kind of problem an Error is.
type ErrorType int

// The kinds of problem, in the API server's terms.
const (
	// Invalid is a value the schema does not accept: wrong type, bad
	// format, not in the enum, out of range, a failed CEL rule.
	Invalid ErrorType = iota
	// UnknownField is a field the schema does not have (strict field
	// validation rejects it; non-strict drops it with a warning).
	UnknownField
	// Required is a required field that is missing.
	Required
)

// Error is one problem with one field.
type Error struct {
	// Path is the field, as string keys and int indices.
	Path []any
	Type ErrorType
	// Detail completes a sentence that starts with the field's path: "must
	// be an integer, not a string". Empty for UnknownField and Required.
	Detail string
}

// Status says what the registry knew of an object's kind.
type Status int

// What Validate knew of a kind.
const (
	// Unknown: neither a built-in kind of the release nor a registered CRD.
	Unknown Status = iota
	// BuiltinKind: validated against the release's embedded schema.
	BuiltinKind
	// CustomKind: validated against a registered CRD's schema.
	CustomKind
)

// Validate checks obj, an object of apiVersion and kind as JSON-compatible
// values, against its schema. Errors come back in path order.
func (r *Registry) Validate(apiVersion, kind string, obj map[string]any) ([]Error, Status, error) {
	if c, ok := r.builtin(apiVersion, kind); ok {
		if c.err != nil {
			return nil, BuiltinKind, c.err
		}
		// The API server's JSON decoding treats null as absent for
		// built-in types, so nulls never reach its validation; the fast
		// path skips them itself.
		if c.fast.ok(obj) {
			return nil, BuiltinKind, nil
		}
		v := dropNulls(obj)
		var errs []Error
		if c.fast.check(v, make([]any, 0, 16), &errs) {
			return dedupErrors(errs), BuiltinKind, nil
		}
		full, err := c.full()
		if err != nil {
			return nil, BuiltinKind, err
		}
		return explain(full.Validate(v), c.doc, v), BuiltinKind, nil
	}
	if crd, ok := r.crds[apiVersion+" "+kind]; ok {
		return crd.validate(obj), CustomKind, nil
	}
	return nil, Unknown, nil
}

// dropNulls returns v without null map values, copying only
// the maps and lists on the way to a null (most objects have none, and come
// back as they are), and whether it changed anything.
func dropNulls(v any) any {
	out, _ := dropNullsIn(v)
	return out
}

func dropNullsIn(v any) (any, bool) {
	switch t := v.(type) {
	case map[string]any:
		var out map[string]any
		for k, e := range t {
			ne, changed := dropNullsIn(e)
			if e != nil && !changed {
				continue
			}
			if out == nil {
				out = make(map[string]any, len(t))
				for k2, e2 := range t {
					out[k2] = e2
				}
			}
			if e == nil {
				delete(out, k)
			} else {
				out[k] = ne
			}
		}
		if out == nil {
			return t, false
		}
		return out, true
	case []any:
		// A null item stays: removing it would shift the indices errors
		// report, and the API server rejects it anyway.
		var out []any
		for i, e := range t {
			ne, changed := dropNullsIn(e)
			if !changed {
				continue
			}
			if out == nil {
				out = make([]any, len(t))
				copy(out, t)
			}
			out[i] = ne
		}
		if out == nil {
			return t, false
		}
		return out, true
	}
	return v, false
}

// english prints the validator's own messages, for the keywords whose
// errors explain does not word itself.
var english = message.NewPrinter(language.English)

// explain turns the validator's error tree into Errors, reading the schema
// node each leaf came from so that messages do not depend on the
// validator's wording.
func explain(err error, doc map[string]any, obj any) []Error {
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []Error{{Detail: err.Error()}}
	}
	var out []Error
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		out = append(out, leaf(e, doc, obj)...)
	}
	walk(ve)
	return dedupErrors(out)
}

// dedupErrors drops repeated errors and sorts the rest by path, then type
// and detail, so that the order never depends on map iteration.
func dedupErrors(errs []Error) []Error {
	seen := map[string]bool{}
	out := errs[:0]
	for _, x := range errs {
		key := fmt.Sprint(x.Path, x.Type, x.Detail)
		if !seen[key] {
			seen[key] = true
			out = append(out, x)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if pa, pb := pathString(a.Path), pathString(b.Path); pa != pb {
			return pa < pb
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Detail < b.Detail
	})
	return out
}

func leaf(e *jsonschema.ValidationError, doc map[string]any, obj any) []Error {
	path := make([]any, len(e.InstanceLocation))
	for i, s := range e.InstanceLocation {
		path[i] = s
	}
	value := lookup(obj, path)
	// SchemaURL is the schema node that holds the failed keyword.
	schemaPath := ""
	if _, frag, ok := strings.Cut(e.SchemaURL, "#"); ok {
		schemaPath = frag
	}
	node := lookup(doc, parsePointer(schemaPath))
	schemaNode, _ := node.(map[string]any)
	keyword := ""
	if kp := e.ErrorKind.KeywordPath(); len(kp) > 0 {
		keyword = kp[0]
	}
	if _, ok := e.ErrorKind.(*kind.FalseSchema); ok {
		keyword = "false"
	}

	switch keyword {
	case "additionalProperties":
		m, _ := value.(map[string]any)
		props, _ := schemaNode["properties"].(map[string]any)
		var out []Error
		for k := range m {
			if _, ok := props[k]; !ok {
				out = append(out, Error{Path: appendPath(path, k), Type: UnknownField})
			}
		}
		return out
	case "required":
		m, _ := value.(map[string]any)
		req, _ := schemaNode["required"].([]any)
		var out []Error
		for _, r := range req {
			name, _ := r.(string)
			if _, ok := m[name]; !ok {
				out = append(out, Error{Path: appendPath(path, name), Type: Required})
			}
		}
		return out
	case "type":
		return []Error{{Path: path, Detail: typeDetail(schemaNode["type"], value)}}
	case "format":
		f, _ := schemaNode["format"].(string)
		return []Error{{Path: path, Detail: formatDetail(f, value)}}
	case "enum":
		enum, _ := schemaNode["enum"].([]any)
		return []Error{{Path: path, Detail: enumDetail(enum, value)}}
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength",
		"minItems", "maxItems", "minProperties", "maxProperties", "pattern", "multipleOf", "uniqueItems":
		return []Error{{Path: path, Detail: bound(keyword, schemaNode[keyword], value)}}
	case "false":
		return []Error{{Path: path, Type: UnknownField}}
	}
	return []Error{{Path: path, Detail: e.ErrorKind.LocalizedString(english)}}
}

// typeDetail says that value is not of the schema's type (the "type"
// keyword as written: a name or a list of names).
func typeDetail(typ, value any) string {
	detail := fmt.Sprintf("must be %s, not %s", typeList(typ), describe(value))
	if wantsString(typ) {
		switch value.(type) {
		case bool:
			detail += "; unquoted yes/no/on/off/true/false are booleans in YAML, so quote the value"
		case int64, int, float64:
			detail += "; quote the value"
		}
	}
	return detail
}

func formatDetail(format string, value any) string {
	return fmt.Sprintf("%s is not a valid %s%s", short(value), format, formatHint[format])
}

func enumDetail(enum []any, value any) string {
	vals := make([]string, 0, len(enum))
	for _, v := range enum {
		vals = append(vals, short(v))
	}
	return fmt.Sprintf("must be one of %s, not %s", strings.Join(vals, ", "), short(value))
}

func bound(keyword string, limit, value any) string {
	l := short(limit)
	switch keyword {
	case "minimum":
		return fmt.Sprintf("must be at least %s, not %s", l, short(value))
	case "maximum":
		return fmt.Sprintf("must be at most %s, not %s", l, short(value))
	case "exclusiveMinimum":
		return fmt.Sprintf("must be greater than %s, not %s", l, short(value))
	case "exclusiveMaximum":
		return fmt.Sprintf("must be less than %s, not %s", l, short(value))
	case "minLength":
		return fmt.Sprintf("must be at least %s characters long", l)
	case "maxLength":
		return fmt.Sprintf("must be at most %s characters long", l)
	case "minItems":
		return fmt.Sprintf("must have at least %s items", l)
	case "maxItems":
		return fmt.Sprintf("must have at most %s items", l)
	case "minProperties":
		return fmt.Sprintf("must have at least %s entries", l)
	case "maxProperties":
		return fmt.Sprintf("must have at most %s entries", l)
	case "pattern":
		return fmt.Sprintf("%s does not match the pattern %s", short(value), l)
	case "multipleOf":
		return fmt.Sprintf("must be a multiple of %s, not %s", l, short(value))
	case "uniqueItems":
		return "must not hold the same item twice"
	}
	return "is invalid"
}

func wantsString(t any) bool {
	switch v := t.(type) {
	case string:
		return v == "string"
	case []any:
		for _, e := range v {
			if e == "string" {
				return true
			}
		}
	}
	return false
}

func typeList(t any) string {
	var names []string
	switch v := t.(type) {
	case string:
		names = []string{v}
	case []any:
		for _, e := range v {
			if s, ok := e.(string); ok && s != "null" {
				names = append(names, s)
			}
		}
	}
	for i, n := range names {
		names[i] = article(n)
	}
	switch len(names) {
	case 0:
		return "of another type"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

func article(typ string) string {
	switch typ {
	case "integer", "object", "array":
		return "an " + typ
	case "null":
		return "null"
	}
	return "a " + typ
}

// describe names a value's JSON type, with the value when it is short:
// `a string ("three")`.
func describe(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprintf("a boolean (%t)", t)
	case string:
		return "a string (" + short(t) + ")"
	case int, int64, float64:
		return "a number (" + short(t) + ")"
	case []any:
		return "a list"
	case map[string]any:
		return "a mapping"
	}
	return fmt.Sprintf("%T", v)
}

// short renders a scalar for a message, cut to a readable length.
func short(v any) string {
	var s string
	switch t := v.(type) {
	case string:
		if len(t) > 60 {
			t = t[:57] + "..."
		}
		s = strconv.Quote(t)
	case nil:
		s = "null"
	case []any:
		s = "a list"
	case map[string]any:
		s = "a mapping"
	default:
		s = fmt.Sprint(t)
	}
	return s
}

// parsePointer splits a JSON pointer into keys and indices. Segments that
// look like numbers are indices only where the instance has a list, which
// lookup sorts out; here they stay strings unless all digits.
func parsePointer(p string) []any {
	p = strings.TrimPrefix(p, "/")
	if p == "" {
		return nil
	}
	parts := strings.Split(p, "/")
	out := make([]any, len(parts))
	for i, s := range parts {
		// The validator percent-encodes tokens after JSON-pointer
		// escaping them: "app config" comes as app%20config.
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
		s = strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
		out[i] = s
	}
	return out
}

// lookup walks v along path, turning string segments into indices where v
// is a list, and rewriting path in place so that indices are ints.
func lookup(v any, path []any) any {
	cur := v
	for i, seg := range path {
		s, _ := seg.(string)
		switch t := cur.(type) {
		case map[string]any:
			next, ok := t[s]
			if !ok {
				return nil
			}
			cur = next
		case []any:
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 || n >= len(t) {
				return nil
			}
			path[i] = n
			cur = t[n]
		default:
			return nil
		}
	}
	return cur
}

func appendPath(p []any, k any) []any {
	out := make([]any, len(p), len(p)+1)
	copy(out, p)
	return append(out, k)
}

// pathString renders a path for sorting and keys: a.b[0].c.
func pathString(p []any) string {
	var b strings.Builder
	for _, e := range p {
		switch t := e.(type) {
		case int:
			fmt.Fprintf(&b, "[%d]", t)
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			fmt.Fprint(&b, t)
		}
	}
	return b.String()
}
