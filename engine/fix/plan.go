package fix

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// edit replaces b[start:end] with text; start == end inserts.
type edit struct {
	start, end int
	text       string
	// depth orders insertions at one offset: the deeper block first, so
	// that a container's new key comes before a new key of the pod spec
	// that ends on the same line.
	depth int
}

// value is a value a fix writes: a scalar (written as is, so it must be
// a plain scalar), a sequence of scalars, or a mapping of values in the
// order its keys were added.
type value struct {
	scalar string
	seq    []string
	keys   []string
	vals   []*value
}

func scalar(s string) *value { return &value{scalar: s} }

func (v *value) isMap() bool { return v.scalar == "" && v.seq == nil }

// set puts leaf at path under mapping v, creating the mappings between. A
// leaf already there with another value is a conflict.
func (v *value) set(path []string, leaf *value) error {
	for i, k := range path {
		j := slices.Index(v.keys, k)
		if i == len(path)-1 {
			if j < 0 {
				v.keys, v.vals = append(v.keys, k), append(v.vals, leaf)
				return nil
			}
			if !equalValue(v.vals[j], leaf) {
				return fmt.Errorf("another fix already sets %s", strings.Join(path, "."))
			}
			return nil
		}
		if j < 0 {
			v.keys, v.vals = append(v.keys, k), append(v.vals, &value{})
			j = len(v.keys) - 1
		}
		if !v.vals[j].isMap() {
			return fmt.Errorf("another fix already sets %s", strings.Join(path[:i+1], "."))
		}
		v = v.vals[j]
	}
	return nil
}

func equalValue(a, b *value) bool {
	if a.scalar != b.scalar || !slices.Equal(a.seq, b.seq) || !slices.Equal(a.keys, b.keys) {
		return false
	}
	for i := range a.vals {
		if !equalValue(a.vals[i], b.vals[i]) {
			return false
		}
	}
	return true
}

func (v *value) clone() *value {
	c := &value{scalar: v.scalar, seq: slices.Clone(v.seq), keys: slices.Clone(v.keys)}
	for _, x := range v.vals {
		c.vals = append(c.vals, x.clone())
	}
	return c
}

// render writes mapping v's entries as block lines at indent.
func (v *value) render(indent int, st style) []string {
	var out []string
	pad := strings.Repeat(" ", indent)
	for i, k := range v.keys {
		switch x := v.vals[i]; {
		case x.seq != nil:
			out = append(out, pad+k+":")
			for _, item := range x.seq {
				out = append(out, strings.Repeat(" ", indent+st.seqOffset)+"- "+item)
			}
		case x.isMap():
			out = append(out, pad+k+":")
			out = append(out, x.render(indent+st.width, st)...)
		default:
			out = append(out, pad+k+": "+x.scalar)
		}
	}
	return out
}

// insertion adds new keys to an existing mapping: after the entry of key
// after, or at the end when after is nil.
type insertion struct {
	parent *yaml.Node
	after  *yaml.Node
	obj    *object
	val    *value
}

// changeset is what fixes change in one file: splices of existing text,
// and new keys grouped by the mapping (and place) they go in, so that
// several fixes adding to one new securityContext write one block.
type changeset struct {
	edits   []edit
	inserts []*insertion
}

func (c *changeset) insertion(o *object, parent, after *yaml.Node) *insertion {
	for _, in := range c.inserts {
		if in.parent == parent && in.after == after {
			return in
		}
	}
	in := &insertion{parent: parent, after: after, obj: o, val: &value{}}
	c.inserts = append(c.inserts, in)
	return in
}

// merge adds staged's changes to c, or none of them when one conflicts
// with a change already in c.
func (c *changeset) merge(staged *changeset) error {
	trial := &changeset{edits: slices.Clone(c.edits)}
	for _, in := range c.inserts {
		trial.inserts = append(trial.inserts, &insertion{parent: in.parent, after: in.after, obj: in.obj, val: in.val.clone()})
	}
	for _, e := range staged.edits {
		if slices.Contains(trial.edits, e) {
			continue
		}
		for _, x := range trial.edits {
			overlap := e.start < x.end && x.start < e.end
			sameInsert := e.start == e.end && x.start == x.end && e.start == x.start
			if overlap || sameInsert {
				return errors.New("another fix already changes this text")
			}
		}
		trial.edits = append(trial.edits, e)
	}
	for _, in := range staged.inserts {
		dst := trial.insertion(in.obj, in.parent, in.after)
		for i, k := range in.val.keys {
			if err := setTree(dst.val, []string{k}, in.val.vals[i]); err != nil {
				return err
			}
		}
	}
	*c = *trial
	return nil
}

// setTree merges tree under path into v, key by key.
func setTree(v *value, path []string, tree *value) error {
	if !tree.isMap() {
		return v.set(path, tree)
	}
	for i, k := range tree.keys {
		if err := setTree(v, append(slices.Clone(path), k), tree.vals[i]); err != nil {
			return err
		}
	}
	return nil
}

// apply renders the insertions and splices every edit into src.
func (c *changeset) apply(t *text) ([]byte, error) {
	edits := slices.Clone(c.edits)
	for _, in := range c.inserts {
		e, err := in.edit(t)
		if err != nil {
			return nil, err
		}
		edits = append(edits, e)
	}
	slices.SortStableFunc(edits, func(a, b edit) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(b.depth, a.depth))
	})
	var out []byte
	pos := 0
	for _, e := range edits {
		if e.start < pos {
			return nil, errors.New("two fixes change the same text")
		}
		out = append(out, t.b[pos:e.start]...)
		out = append(out, e.text...)
		pos = e.end
	}
	return append(out, t.b[pos:]...), nil
}

// edit renders an insertion. Into a block mapping, the new lines go after
// the entry named (or the last one), at the column of the mapping's keys.
// Into an empty flow mapping ("securityContext: {}" as Helm charts
// write), the "{}" becomes a block under its key.
func (in *insertion) edit(t *text) (edit, error) {
	o, m := in.obj, in.parent
	if len(m.Content) == 0 {
		key := o.keyOf[m]
		ks, ok := t.scalar(key, false)
		if !ok {
			return edit{}, fmt.Errorf("line %d: the key of an empty mapping is not a one-line scalar", key.Line)
		}
		_, end, ok := t.flowEnd(m)
		if !ok {
			return edit{}, fmt.Errorf("line %d: an empty flow mapping does not close on its line", m.Line)
		}
		lineEnd := t.lineEnd(key.Line)
		comment := strings.TrimSpace(string(t.b[end:lineEnd]))
		if comment != "" && comment[0] != '#' {
			return edit{}, fmt.Errorf("line %d: text follows an empty flow mapping", m.Line)
		}
		head := ":"
		if comment != "" {
			head += " " + comment
		}
		indent := key.Column - 1 + o.style.width
		lines := in.val.render(indent, o.style)
		return edit{start: ks.end, end: lineEnd, text: head + t.eol + strings.Join(lines, t.eol), depth: indent}, nil
	}
	after := in.after
	if after == nil {
		after = m.Content[len(m.Content)-2]
	}
	i := slices.Index(m.Content, after)
	val := m.Content[i+1]
	dash := val.Kind == yaml.SequenceNode && val.Style&yaml.FlowStyle == 0 && val.Column == after.Column
	if keepsTrailingLines(val) {
		return edit{}, skipf("line %d: %s ends in a block scalar that keeps its trailing blank lines (|+ or >+), and a key added after it would change its value; add it yourself", after.Line, after.Value)
	}
	endLine := max(t.entryEnd(after.Line, after.Column, dash), lastLine(val))
	indent := m.Content[0].Column - 1
	lines := in.val.render(indent, o.style)
	at := t.lineEnd(endLine)
	return edit{start: at, end: at, text: t.eol + strings.Join(lines, t.eol), depth: indent}, nil
}
