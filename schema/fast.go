package schema

import (
	"math"
	"strings"
)

// fastNode is a schema node reduced to the keywords the embedded schemas
// use (type, properties, additionalProperties, items, required, format,
// enum, $ref). It answers two questions. ok: does a value certainly satisfy
// the schema? That is asked of every object, quickly and without
// allocating. check: what is wrong with a value that does not? That walks
// the value as the full validator would and says the same, in the same
// words. With both, a built-in schema never needs compiling by the full
// validator, which for a big kind (anything with a pod template) costs
// tens of milliseconds, more than validating thousands of objects. A node
// with a keyword it does not know is "unsupported": then the full
// validator decides.
type fastNode struct {
	types       uint8 // bit set of jsonType*; 0 means any
	typeSpec    any   // "type" as written, for messages
	formatName  string
	props       map[string]*fastNode
	addl        *fastNode // additionalProperties as a schema
	addlFalse   bool      // additionalProperties: false
	items       *fastNode
	required    []string
	format      func(any) bool
	enum        []any
	unsupported bool
}

const (
	typeNull uint8 = 1 << iota
	typeBoolean
	typeInteger
	typeNumber
	typeString
	typeArray
	typeObject
)

var typeBits = map[string]uint8{
	"null": typeNull, "boolean": typeBoolean, "integer": typeInteger, "number": typeNumber,
	"string": typeString, "array": typeArray, "object": typeObject,
}

// handled are the keywords fastNode understands; "$schema" and "$defs" only
// matter to the compiler.
var handled = map[string]bool{
	"type": true, "properties": true, "additionalProperties": true, "items": true,
	"required": true, "format": true, "enum": true, "$ref": true, "$schema": true, "$defs": true,
}

// buildFast reduces the schema document doc (as decoded JSON).
func buildFast(doc map[string]any) *fastNode {
	defs, _ := doc["$defs"].(map[string]any)
	memo := map[string]*fastNode{}
	var build func(s map[string]any) *fastNode
	build = func(s map[string]any) *fastNode {
		if ref, ok := s["$ref"].(string); ok {
			for k := range s {
				if k != "$ref" && k != "$schema" && k != "$defs" {
					return &fastNode{unsupported: true}
				}
			}
			name := strings.TrimPrefix(ref, "#/$defs/")
			if n, ok := memo[name]; ok {
				return n
			}
			def, ok := defs[name].(map[string]any)
			if !ok || name == ref {
				return &fastNode{unsupported: true}
			}
			n := &fastNode{}
			memo[name] = n // before recursing: definitions refer to themselves
			*n = *build(def)
			return n
		}
		n := &fastNode{}
		for k := range s {
			if !handled[k] {
				n.unsupported = true
				return n
			}
		}
		n.typeSpec = s["type"]
		switch t := s["type"].(type) {
		case string:
			n.types = typeBits[t]
		case []any:
			for _, e := range t {
				if name, ok := e.(string); ok {
					n.types |= typeBits[name]
				}
			}
		}
		if props, ok := s["properties"].(map[string]any); ok {
			n.props = make(map[string]*fastNode, len(props))
			for name, p := range props {
				pm, ok := p.(map[string]any)
				if !ok {
					// A boolean schema: rare enough to leave to the
					// full validator.
					n.unsupported = true
					return n
				}
				n.props[name] = build(pm)
			}
		}
		switch a := s["additionalProperties"].(type) {
		case bool:
			n.addlFalse = !a
		case map[string]any:
			n.addl = build(a)
		case nil:
		default:
			n.unsupported = true
			return n
		}
		switch items := s["items"].(type) {
		case map[string]any:
			n.items = build(items)
		case nil:
		default:
			n.unsupported = true
			return n
		}
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if name, ok := r.(string); ok {
					n.required = append(n.required, name)
				}
			}
		}
		if f, ok := s["format"].(string); ok {
			n.formatName = f
			fn, ok := formats[f]
			if !ok {
				// The full validator asserts the formats of JSON Schema
				// itself (email, uri, ...); the fast path knows only
				// Kubernetes' own, which are all the built-in kinds use.
				n.unsupported = true
				return n
			}
			n.format = fn
		}
		if e, ok := s["enum"].([]any); ok {
			n.enum = e
		}
		return n
	}
	return build(doc)
}

// ok reports whether v certainly satisfies n, taking a null map value as
// absent (as dropNulls would make it).
func (n *fastNode) ok(v any) bool {
	if n.unsupported {
		return false
	}
	if n.types != 0 && !n.typeOK(v) {
		return false
	}
	if n.format != nil && !n.format(v) {
		return false
	}
	if n.enum != nil && !inEnum(n.enum, v) {
		return false
	}
	switch t := v.(type) {
	case map[string]any:
		for _, r := range n.required {
			if e, ok := t[r]; !ok || e == nil {
				return false
			}
		}
		for k, e := range t {
			if e == nil {
				continue
			}
			if p, ok := n.props[k]; ok {
				if !p.ok(e) {
					return false
				}
				continue
			}
			switch {
			case n.addlFalse:
				return false
			case n.addl != nil && !n.addl.ok(e):
				return false
			}
		}
	case []any:
		if n.items != nil {
			for _, e := range t {
				if !n.items.ok(e) {
					return false
				}
			}
		}
	}
	return true
}

func (n *fastNode) typeOK(v any) bool {
	switch v.(type) {
	case nil:
		return n.types&typeNull != 0
	case bool:
		return n.types&typeBoolean != 0
	case int64, int:
		return n.types&(typeInteger|typeNumber) != 0
	case float64:
		// A float is an integer to JSON Schema only when it has no
		// fraction; leave that case to the full validator.
		return n.types&typeNumber != 0
	case string:
		return n.types&typeString != 0
	case []any:
		return n.types&typeArray != 0
	case map[string]any:
		return n.types&typeObject != 0
	}
	return false
}

func inEnum(enum []any, v any) bool {
	for _, e := range enum {
		switch x := e.(type) {
		case string, bool, nil:
			if e == v {
				return true
			}
		case float64:
			switch y := v.(type) {
			case int64:
				if float64(y) == x {
					return true
				}
			case float64:
				if y == x {
					return true
				}
			}
		}
	}
	return false
}

// check appends what is wrong with v (already without nulls) to errs,
// walking it as the full validator does: a type mismatch ends the node;
// enum, format, required fields, properties, additional properties and
// items are each checked. path is where v is; it is copied, never kept.
// It returns false if it met an unsupported node, so that errs is
// incomplete and the full validator must decide.
func (n *fastNode) check(v any, path []any, errs *[]Error) bool {
	if n.unsupported {
		return false
	}
	if n.types != 0 && !n.typeMatches(v) {
		*errs = append(*errs, Error{Path: clonePath(path), Detail: typeDetail(n.typeSpec, v)})
		return true
	}
	if n.enum != nil && !inEnum(n.enum, v) {
		*errs = append(*errs, Error{Path: clonePath(path), Detail: enumDetail(n.enum, v)})
	}
	if n.format != nil && !n.format(v) {
		*errs = append(*errs, Error{Path: clonePath(path), Detail: formatDetail(n.formatName, v)})
	}
	switch t := v.(type) {
	case map[string]any:
		for _, r := range n.required {
			if _, ok := t[r]; !ok {
				*errs = append(*errs, Error{Path: appendPath(path, r), Type: Required})
			}
		}
		for k, e := range t {
			if p, ok := n.props[k]; ok {
				if !p.check(e, append(path, k), errs) {
					return false
				}
				continue
			}
			switch {
			case n.addlFalse:
				*errs = append(*errs, Error{Path: appendPath(path, k), Type: UnknownField})
			case n.addl != nil:
				if !n.addl.check(e, append(path, k), errs) {
					return false
				}
			}
		}
	case []any:
		if n.items != nil {
			for i, e := range t {
				if !n.items.check(e, append(path, i), errs) {
					return false
				}
			}
		}
	}
	return true
}

// typeMatches is JSON Schema's type test: a number with no fraction is
// also an integer.
func (n *fastNode) typeMatches(v any) bool {
	if f, ok := v.(float64); ok && n.types&typeInteger != 0 && f == math.Trunc(f) {
		return true
	}
	return n.typeOK(v)
}

func clonePath(p []any) []any {
	if len(p) == 0 {
		return nil
	}
	return append([]any(nil), p...)
}
