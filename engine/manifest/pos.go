package manifest

import (
	yaml "go.yaml.in/yaml/v3"

	"github.com/kubegate/kubegate/engine"
)

// posNode is where a mapping or sequence, and its keys or items, sit in the
// source: all an object needs after parsing to put findings at their
// fields. It is much smaller than the YAML node tree it comes from, which
// is dropped once the document is read: scalars get no node of their own,
// only the position stored with their key or item.
type posNode struct {
	line, col int32
	keys      []posKey  // a mapping's keys, in source order
	items     []posItem // a sequence's items
}

// posKey is one mapping entry: where its key is, and its value's node (nil
// for a scalar).
type posKey struct {
	name      string
	line, col int32
	val       *posNode
}

// posItem is one sequence item: where it starts (a mapping item starts at
// its first key, the "- name:" line of a container), and its node (nil for
// a scalar).
type posItem struct {
	line, col int32
	node      *posNode
}

func (n *posNode) key(name string) (posKey, bool) {
	for _, k := range n.keys {
		if k.name == name {
			return k, true
		}
	}
	return posKey{}, false
}

// keyPos is where key is in mapping n, or where n is if it has no such key.
func (n *posNode) keyPos(name string) (line, col int) {
	if k, ok := n.key(name); ok {
		return int(k.line), int(k.col)
	}
	return int(n.line), int(n.col)
}

// posLocator resolves field paths through an object's position tree.
type posLocator struct {
	root *posNode // the object's mapping
	// lineOffset maps node lines (relative to the parsed chunk) to the lines
	// findings report.
	lineOffset int
}

// Locate walks path from the root. A key resolves to the key's own position
// (where an editor should put the cursor); an index to the item's position,
// which for a mapping item is its first key. A missing step resolves to the
// last step that exists.
func (l *posLocator) Locate(path engine.Path) (line, column int, exact bool) {
	cur := l.root
	line, column = int(cur.line), int(cur.col)
	for _, e := range path {
		if cur == nil {
			return line + l.lineOffset, column, false
		}
		if e.IsIndex {
			if e.Index < 0 || e.Index >= len(cur.items) {
				return line + l.lineOffset, column, false
			}
			it := cur.items[e.Index]
			line, column, cur = int(it.line), int(it.col), it.node
			continue
		}
		k, ok := cur.key(e.Key)
		if !ok {
			return line + l.lineOffset, column, false
		}
		line, column, cur = int(k.line), int(k.col), k.val
	}
	return line + l.lineOffset, column, true
}

// positions builds the position tree of a goyaml node tree (the slow
// path's). Aliases share the tree of their anchor, so a document of
// repeated aliases costs no more here than its anchors do.
func positions(n *yaml.Node) *posNode {
	memo := map[*yaml.Node]*posNode{}
	var build func(n *yaml.Node, depth int) *posNode
	build = func(n *yaml.Node, depth int) *posNode {
		n = deref(n)
		if n.Kind != yaml.MappingNode && n.Kind != yaml.SequenceNode || depth > 1000 {
			return nil
		}
		if p, ok := memo[n]; ok {
			return p
		}
		p := &posNode{line: int32(n.Line), col: int32(n.Column)}
		memo[n] = p
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				name, err := keyString(k)
				if err != nil {
					continue
				}
				p.keys = append(p.keys, posKey{name: name, line: int32(k.Line), col: int32(k.Column), val: build(n.Content[i+1], depth+1)})
			}
			return p
		}
		for _, it := range n.Content {
			at := deref(it)
			if at.Kind == yaml.ScalarNode {
				at = it
			}
			p.items = append(p.items, posItem{line: int32(at.Line), col: int32(at.Column), node: build(it, depth+1)})
		}
		return p
	}
	return build(n, 0)
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}
