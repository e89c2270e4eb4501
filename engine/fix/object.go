package fix

import (
	"errors"
	"fmt"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/kubegate/kubegate/engine"
)

// object is one object's node tree and what fixes need to edit it.
type object struct {
	t     *text
	root  *yaml.Node
	style style
	// keyOf maps a mapping's value node to its key node; parent maps a
	// node to the collection holding it.
	keyOf  map[*yaml.Node]*yaml.Node
	parent map[*yaml.Node]*yaml.Node
	// unsafe says why the object cannot be edited, "" when it can.
	unsafe string
}

func newObject(t *text, root *yaml.Node) *object {
	o := &object{t: t, root: root, style: docStyle(root), keyOf: map[*yaml.Node]*yaml.Node{}, parent: map[*yaml.Node]*yaml.Node{}}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		switch {
		case n.Kind == yaml.AliasNode || n.Anchor != "":
			o.unsafe = fmt.Sprintf("line %d: the object uses YAML anchors or aliases, and an edit could reach every place that shares the node", n.Line)
			return
		case n.Kind == yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == "<<" && n.Content[i].Tag == "!!merge" {
					o.unsafe = fmt.Sprintf("line %d: the object uses a YAML merge key (<<)", n.Content[i].Line)
					return
				}
				o.keyOf[n.Content[i+1]] = n.Content[i]
			}
		}
		for _, c := range n.Content {
			o.parent[c] = n
			walk(c)
		}
	}
	walk(root)
	return o
}

// skipError is why a fix was not made: a reason for the user, not a
// failure.
type skipError struct{ reason string }

func (e *skipError) Error() string { return e.reason }

func skipf(format string, args ...any) error {
	return &skipError{reason: fmt.Sprintf(format, args...)}
}

// lookup returns the value of key in mapping m, nil when absent.
func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key && m.Content[i].Kind == yaml.ScalarNode {
			return m.Content[i+1]
		}
	}
	return nil
}

// lookupKey returns the key node of key in mapping m, nil when absent.
func lookupKey(m *yaml.Node, key string) *yaml.Node {
	if v := lookup(m, key); v != nil {
		for i := 0; i < len(m.Content); i += 2 {
			if m.Content[i+1] == v {
				return m.Content[i]
			}
		}
	}
	return nil
}

// walk follows path from the object's root; nil when a step is missing.
func (o *object) walk(path engine.Path) *yaml.Node {
	n := o.root
	for _, e := range path {
		switch {
		case e.IsIndex:
			if n.Kind != yaml.SequenceNode || e.Index < 0 || e.Index >= len(n.Content) {
				return nil
			}
			n = n.Content[e.Index]
		default:
			if n = lookup(n, e.Key); n == nil {
				return nil
			}
		}
	}
	return n
}

// inFlow reports whether n is, or sits inside, a flow collection.
func (o *object) inFlow(n *yaml.Node) bool {
	for ; n != nil; n = o.parent[n] {
		if (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle != 0 {
			return true
		}
	}
	return false
}

// isNull reports whether n is a null scalar ("", ~ or null).
func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// ensure stages setting leaf at path under mapping m, creating the
// mappings between; the leaf must not exist yet. New keys go at the end of
// the deepest mapping that exists. A mapping written in flow style takes
// no new key unless it is an empty "{}" under a block key.
func (o *object) ensure(c *changeset, m *yaml.Node, path []string, leaf *value) error {
	for i, k := range path {
		if m.Kind != yaml.MappingNode {
			return skipf("line %d: %s is not a mapping", m.Line, o.describe(m))
		}
		v := lookup(m, k)
		if v == nil {
			return o.insert(c, m, nil, path[i:], leaf)
		}
		if i == len(path)-1 {
			return errors.New("ensure: the leaf exists") // a fix checks this first
		}
		m = v
	}
	return nil
}

// insert stages adding path (with leaf at its end) to mapping m, after
// the entry of key after (nil: at the end).
func (o *object) insert(c *changeset, m, after *yaml.Node, path []string, leaf *value) error {
	if m.Style&yaml.FlowStyle != 0 {
		key := o.keyOf[m]
		if len(m.Content) > 0 || key == nil || o.inFlow(o.parent[m]) {
			return skipf("line %d: %s is written in flow style ({...}); add %s there yourself, or write it as a block", m.Line, o.describe(m), strings.Join(path, "."))
		}
	}
	tree := &value{}
	if err := tree.set(path, leaf); err != nil {
		return err
	}
	return setTree(c.insertion(o, m, after).val, nil, tree)
}

// replaceScalar stages writing s in place of scalar n's content, quotes
// kept.
func (o *object) replaceScalar(c *changeset, n *yaml.Node, s string) error {
	sp, ok := o.t.scalar(n, o.inFlow(n))
	if !ok {
		return skipf("line %d: %q is not a one-line scalar kubegate can rewrite", n.Line, n.Value)
	}
	c.edits = append(c.edits, edit{start: sp.contentStart, end: sp.contentEnd, text: s})
	return nil
}

// describe names a node for messages: its key, or its kind.
func (o *object) describe(n *yaml.Node) string {
	if k := o.keyOf[n]; k != nil {
		return k.Value
	}
	return "the mapping"
}
