package manifest

import (
	yaml "go.yaml.in/yaml/v3"

	"github.com/kubegate/kubegate/engine"
)

// nodeLocator resolves field paths through an object's YAML node tree.
type nodeLocator struct {
	root *yaml.Node // the object's mapping node
	// lineOffset maps node lines (relative to the parsed chunk) to the lines
	// findings report.
	lineOffset int
}

// Locate walks path from the root. A key resolves to the key's own position
// (where an editor should put the cursor); an index to the item's position,
// which for a mapping item is its first key: the "- name:" line of a
// container. A missing step resolves to the last node that exists.
func (l *nodeLocator) Locate(path engine.Path) (line, column int, exact bool) {
	cur := l.root
	line, column = cur.Line, cur.Column
	for _, e := range path {
		cur = deref(cur)
		var next, at *yaml.Node
		switch {
		case e.IsIndex:
			if cur.Kind == yaml.SequenceNode && e.Index < len(cur.Content) {
				next = cur.Content[e.Index]
				at = deref(next)
				if at.Kind == yaml.ScalarNode {
					at = next
				}
			}
		case cur.Kind == yaml.MappingNode:
			for i := 0; i+1 < len(cur.Content); i += 2 {
				k := cur.Content[i]
				if k.Kind == yaml.ScalarNode && k.Value == e.Key {
					at, next = k, cur.Content[i+1]
					break
				}
			}
		}
		if next == nil {
			return line + l.lineOffset, column, false
		}
		line, column = at.Line, at.Column
		cur = next
	}
	return line + l.lineOffset, column, true
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}
