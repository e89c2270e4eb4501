package manifest

import (
	yaml "go.yaml.in/yaml/v3"

	"github.com/kubegate/kubegate/engine"
)

// span is where a node sits in the source: its first character and the
// position just after its last (its end column is exclusive). int32s keep
// the position tree small: it lives as long as the object.
type span struct {
	line, col       int32
	endLine, endCol int32
}

func (s span) region(lineOffset int) engine.Region {
	return engine.Region{
		Line: int(s.line) + lineOffset, Column: int(s.col),
		EndLine: int(s.endLine) + lineOffset, EndColumn: int(s.endCol),
	}
}

// setEnd makes s end where e does.
func (s *span) setEnd(e span) { s.endLine, s.endCol = e.endLine, e.endCol }

// posNode is where a mapping or sequence, and its keys or items, sit in the
// source: all an object needs after parsing to put findings at their
// fields. It is much smaller than the YAML node tree it comes from, which
// is dropped once the document is read: scalars get no node of their own,
// only the span stored with their key or item.
//
// Ends follow one rule in both parsers: a scalar ends after its last
// character (a quoted one after its closing quote, a block scalar at the end
// of its last line with text, never in a trailing comment); a collection
// ends where its last entry does (a flow collection after its closing
// bracket); a key ends where its value does, or after its colon when it
// has none; a sequence item is its node.
type posNode struct {
	span
	keys  []posKey  // a mapping's keys, in source order
	items []posItem // a sequence's items
}

// posKey is one mapping entry: from its key to the end of its value, and
// the value's node (nil for a scalar).
type posKey struct {
	name string
	span
	val *posNode
}

// posItem is one sequence item: where it starts (a mapping item starts at
// its first key, the "- name:" line of a container) and ends, and its node
// (nil for a scalar).
type posItem struct {
	span
	node *posNode
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
	r, exact := l.LocateRegion(path)
	return r.Line, r.Column, exact
}

// LocateRegion is Locate with the end of the field's value: a missing step
// resolves to the whole region of the last step that exists.
func (l *posLocator) LocateRegion(path engine.Path) (engine.Region, bool) {
	cur := l.root
	at := cur.span
	for _, e := range path {
		if cur == nil {
			return at.region(l.lineOffset), false
		}
		if e.IsIndex {
			if e.Index < 0 || e.Index >= len(cur.items) {
				return at.region(l.lineOffset), false
			}
			it := cur.items[e.Index]
			at, cur = it.span, it.node
			continue
		}
		k, ok := cur.key(e.Key)
		if !ok {
			return at.region(l.lineOffset), false
		}
		at, cur = k.span, k.val
	}
	return at.region(l.lineOffset), true
}

// positions builds the position tree of a goyaml node tree (the slow
// path's) read from data. goyaml's nodes say only where they start; where
// they end comes from the source (see source). Aliases share the tree of
// their anchor, so a document of repeated aliases costs no more here than
// its anchors do.
func positions(n *yaml.Node, data []byte) *posNode {
	src := newSource(data)
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
		p := &posNode{span: span{line: int32(n.Line), col: int32(n.Column)}}
		memo[n] = p
		if n.Kind == yaml.MappingNode {
			// A block scalar's lines are indented past its mapping's
			// keys; a key's node starts at the key (or its properties).
			indent := 0
			if len(n.Content) > 0 {
				indent = n.Content[0].Column - 1
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				name, err := keyString(k)
				if err != nil {
					continue
				}
				pk := posKey{name: name, span: span{line: int32(k.Line), col: int32(k.Column)}, val: build(v, depth+1)}
				var end int
				if isEmpty(v) {
					end = src.colonEnd(src.end(k, indent))
					if e := src.afterProperties(v); e > src.offset(v.Line, v.Column) {
						end = e // "key: &anchor": the anchor is the value
					}
				} else {
					end = src.valueEnd(v, pk.val, indent)
				}
				pk.endLine, pk.endCol = src.mark(end)
				p.keys = append(p.keys, pk)
			}
		} else {
			// A block sequence's items are indented past its dashes.
			indent := src.column(src.skipProperties(src.offset(n.Line, n.Column))) - 1
			for _, it := range n.Content {
				at := deref(it)
				if at.Kind == yaml.ScalarNode {
					at = it
				}
				pi := posItem{span: span{line: int32(at.Line), col: int32(at.Column)}, node: build(it, depth+1)}
				switch {
				case pi.node != nil:
					// An alias of a collection starts and ends at its
					// anchor's node.
					pi.setEnd(pi.node.span)
				case isEmpty(it):
					pi.endLine, pi.endCol = src.mark(src.afterProperties(it))
				default:
					pi.endLine, pi.endCol = src.mark(src.valueEnd(it, nil, indent))
				}
				p.items = append(p.items, pi)
			}
		}
		switch {
		case n.Style&yaml.FlowStyle != 0:
			// After the last entry (or the opening bracket) comes the
			// closing one.
			from := src.skipProperties(src.offset(n.Line, n.Column)) + 1
			if c := n.Content; len(c) > 0 {
				last := c[len(c)-1]
				if isEmpty(last) {
					from = src.afterProperties(last)
				} else {
					from = src.valueEnd(last, memo[deref(last)], 0)
				}
			}
			p.endLine, p.endCol = src.mark(src.closingBracket(from))
		case len(p.keys) > 0:
			p.setEnd(p.keys[len(p.keys)-1].span)
		case len(p.items) > 0:
			p.setEnd(p.items[len(p.items)-1].span)
		default:
			p.endLine, p.endCol = p.line, p.col
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
