package render

import (
	"reflect"
	"slices"

	"github.com/kubegate/kubegate/engine"
)

// kustLocator places the fields of an object a kustomization built in the
// files it came from. A field the build left as its resource file has it
// is at its line there; one a strategic-merge patch set to what was built
// is at its line in the patch. A mapping or list the build changed inside
// (a container whose image the overlay set) is still at its own line in
// the resource file, or else in a patch, when it is the same one, matched
// by key (a container by its name) and not by index. Any other field (a
// value a transformer such as images or replicas set) is at the object's
// start in its resource file, which is true of it and names no line that
// says otherwise. A field that is absent stands for the nearest one above
// it that exists, unless the file at hand has the field the build lacks.
type kustLocator struct {
	built   *engine.Object
	src     *engine.Object
	patches []*engine.Object
}

// Locate implements engine.Locator for positions in the resource file.
func (l *kustLocator) Locate(p engine.Path) (line, column int, exact bool) {
	file, line, column, exact := l.LocateFile(p)
	if file != l.src.Source.File {
		return l.src.Source.Line, l.src.Source.Column, false
	}
	return line, column, exact
}

// LocateFile implements engine.FileLocator.
func (l *kustLocator) LocateFile(p engine.Path) (file string, line, column int, exact bool) {
	q := existingPrefix(l.built.Raw, p)
	whole := len(q) == len(p)
	v, _ := valueAt(l.built.Raw, q)
	if line, col, ok := sameAt(l.built.Raw, q, v, l.src); ok {
		return l.src.Source.File, line, col, whole
	}
	// Later patches win: the last one that holds the field set it.
	for i := len(l.patches) - 1; i >= 0; i-- {
		if line, col, ok := sameAt(l.built.Raw, q, v, l.patches[i]); ok {
			return l.patches[i].Source.File, line, col, whole
		}
	}
	switch v.(type) {
	case map[string]any, []any:
		var rest *engine.PathElem
		if !whole {
			rest = &p[len(q)]
		}
		if line, col, ok := nodeAt(l.built.Raw, q, rest, l.src); ok {
			return l.src.Source.File, line, col, false
		}
		for i := len(l.patches) - 1; i >= 0; i-- {
			if line, col, ok := nodeAt(l.built.Raw, q, rest, l.patches[i]); ok {
				return l.patches[i].Source.File, line, col, false
			}
		}
	}
	return l.src.Source.File, l.src.Source.Line, l.src.Source.Column, false
}

// nodeAt returns where in other the mapping or list at q of built is,
// when it is the same one (no list item matched by index alone) and,
// for a finding about its absent field rest, other lacks rest too.
func nodeAt(built map[string]any, q engine.Path, rest *engine.PathElem, other *engine.Object) (int, int, bool) {
	oq, byKey, ok := translate(built, q, other.Raw)
	if !ok || !byKey || other.Locator == nil {
		return 0, 0, false
	}
	if rest != nil {
		if _, has := valueAt(other.Raw, append(slices.Clone(oq), *rest)); has {
			return 0, 0, false
		}
	}
	line, col, exact := other.Locator.Locate(oq)
	return line, col, exact && line > 0
}

// sameAt returns where in other the field at q of built is, when other
// holds it with the value v.
func sameAt(built map[string]any, q engine.Path, v any, other *engine.Object) (int, int, bool) {
	op, _, ok := translate(built, q, other.Raw)
	if !ok || other.Locator == nil {
		return 0, 0, false
	}
	ov, ok := valueAt(other.Raw, op)
	if !ok || !reflect.DeepEqual(ov, v) {
		return 0, 0, false
	}
	line, col, exact := other.Locator.Locate(op)
	return line, col, exact && line > 0
}

// existingPrefix returns the longest prefix of p that exists in raw.
func existingPrefix(raw map[string]any, p engine.Path) engine.Path {
	var cur any = raw
	for i, e := range p {
		next, ok := step(cur, e)
		if !ok {
			return p[:i]
		}
		cur = next
	}
	return p
}

func valueAt(raw map[string]any, p engine.Path) (any, bool) {
	var cur any = raw
	for _, e := range p {
		next, ok := step(cur, e)
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}

func step(cur any, e engine.PathElem) (any, bool) {
	if e.IsIndex {
		l, ok := cur.([]any)
		if !ok || e.Index < 0 || e.Index >= len(l) {
			return nil, false
		}
		return l[e.Index], true
	}
	m, ok := cur.(map[string]any)
	if !ok {
		return nil, false
	}
	v, ok := m[e.Key]
	return v, ok
}

// mergeKeys are the fields that identify an item of the lists strategic
// merge patches merge (containers, env, ports, volumes, volumeMounts,
// hostAliases, a Service's ports): items are matched by them, not by
// index, since a merge may insert items.
var mergeKeys = []string{"name", "mountPath", "containerPort", "devicePath", "ip", "port"}

// translate turns a path in built into the path of the same field in
// other: list items are matched by their merge key, or by index when the
// item has none and the lists have the same length. byKey says no item was
// matched by index alone.
func translate(built map[string]any, p engine.Path, other map[string]any) (out engine.Path, byKey, ok bool) {
	out = make(engine.Path, 0, len(p))
	byKey = true
	var b, o any = built, other
	for _, e := range p {
		if !e.IsIndex {
			nb, ok1 := step(b, e)
			no, ok2 := step(o, e)
			if !ok1 || !ok2 {
				return nil, false, false
			}
			b, o = nb, no
			out = append(out, e)
			continue
		}
		bl, ok1 := b.([]any)
		ol, ok2 := o.([]any)
		if !ok1 || !ok2 || e.Index < 0 || e.Index >= len(bl) {
			return nil, false, false
		}
		idx, keyed, found := matchItem(bl, e.Index, ol)
		if !found {
			return nil, false, false
		}
		byKey = byKey && keyed
		b, o = bl[e.Index], ol[idx]
		out = append(out, engine.PathElem{IsIndex: true, Index: idx})
	}
	return out, byKey, true
}

// matchItem finds item i of bl in ol; keyed says it matched by merge key.
func matchItem(bl []any, i int, ol []any) (idx int, keyed, found bool) {
	if m, ok := bl[i].(map[string]any); ok {
		for _, k := range mergeKeys {
			kv, ok := m[k]
			if !ok || kv == nil {
				continue
			}
			switch kv.(type) {
			case map[string]any, []any:
				continue
			}
			at := -1
			for j, it := range ol {
				if om, ok := it.(map[string]any); ok && reflect.DeepEqual(om[k], kv) {
					if at >= 0 {
						return 0, false, false
					}
					at = j
				}
			}
			return at, true, at >= 0
		}
	}
	if len(bl) == len(ol) {
		return i, false, true
	}
	return 0, false, false
}
