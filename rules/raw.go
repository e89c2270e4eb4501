package rules

import (
	"iter"

	"github.com/kubegate/kubegate/engine"
)

// Helpers for rules that read obj.Raw rather than the typed object: they
// keep working when a field has the wrong type (the schema rule reports
// that) and they see exactly what was written, before any defaulting.

// rawNode is one value of obj.Raw with its path.
type rawNode struct {
	Value any
	Path  engine.Path
}

// rawGet returns the value at path in v.
func rawGet(v any, path ...string) (any, bool) {
	cur := v
	for _, k := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// rawAt returns the value at p (keys only) in v.
func rawAt(v any, p engine.Path) (any, bool) {
	keys := make([]string, len(p))
	for i, e := range p {
		keys[i] = e.Key
	}
	return rawGet(v, keys...)
}

// rawMap returns the mapping at path in v, or nil.
func rawMap(v any, path ...string) map[string]any {
	x, _ := rawGet(v, path...)
	m, _ := x.(map[string]any)
	return m
}

// rawList returns the list at path in v, or nil.
func rawList(v any, path ...string) []any {
	x, _ := rawGet(v, path...)
	l, _ := x.([]any)
	return l
}

// rawString returns the string at path in v.
func rawString(v any, path ...string) (string, bool) {
	x, _ := rawGet(v, path...)
	s, ok := x.(string)
	return s, ok
}

// rawInt returns the integer at path in v.
func rawInt(v any, path ...string) (int64, bool) {
	x, _ := rawGet(v, path...)
	switch n := x.(type) {
	case int64:
		return n, true
	case float64:
		if n == float64(int64(n)) {
			return int64(n), true
		}
	}
	return 0, false
}

// rawWalk calls fn for every mapping in v, depth first, with its path and
// the key it sits under ("" for the root and list items, whose key is that
// of the list). The path lives in one buffer reused for the whole walk: it
// is valid only during the call, and fn must copy it (Child and Index do)
// to keep it.
func rawWalk(v any, fn func(m map[string]any, at engine.Path, key string)) {
	var walk func(v any, at engine.Path, key string)
	walk = func(v any, at engine.Path, key string) {
		switch t := v.(type) {
		case map[string]any:
			fn(t, at, key)
			for k, e := range t {
				if isCollection(e) {
					walk(e, append(at, engine.PathElem{Key: k}), k)
				}
			}
		case []any:
			for i, e := range t {
				if isCollection(e) {
					walk(e, append(at, engine.PathElem{Index: i, IsIndex: true}), key)
				}
			}
		}
	}
	walk(v, make(engine.Path, 0, 32), "")
}

// isCollection reports whether v is a mapping or a list: rawWalk makes
// paths only for those, not for the scalars that are most of an object.
func isCollection(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return true
	}
	return false
}

// podSpecPath returns the path of the pod spec in obj.Raw for the kinds
// that have one, read from the raw object so that it works whatever the
// typed decoding made of it.
func podSpecPath(obj *engine.Object) (engine.Path, map[string]any) {
	p, _, ok := engine.PodPaths(obj.Kind)
	if !ok {
		return nil, nil
	}
	v, _ := rawAt(obj.Raw, p)
	m, _ := v.(map[string]any)
	if m == nil {
		return nil, nil
	}
	return p, m
}

// rawContainers lists the containers, init containers and ephemeral
// containers of a raw pod spec.
func rawContainers(spec map[string]any, at engine.Path) []rawNode {
	var out []rawNode
	for _, field := range []string{"initContainers", "containers", "ephemeralContainers"} {
		for i, c := range rawList(spec, field) {
			if m, ok := c.(map[string]any); ok {
				out = append(out, rawNode{Value: m, Path: at.Child(field).Index(i)})
			}
		}
	}
	return out
}

// rawItems yields the items of a list (with their index) or a mapping
// (with their key), as Rego's `some k, v in x` does; anything else has
// none.
func rawItems(v any) iter.Seq2[engine.PathElem, any] {
	return func(yield func(engine.PathElem, any) bool) {
		switch t := v.(type) {
		case []any:
			for i, e := range t {
				if !yield(engine.PathElem{Index: i, IsIndex: true}, e) {
					return
				}
			}
		case map[string]any:
			for k, e := range t {
				if !yield(engine.PathElem{Key: k}, e) {
					return
				}
			}
		}
	}
}
