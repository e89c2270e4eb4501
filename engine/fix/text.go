package fix

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// text is a file's bytes with the offsets of its lines, to turn the line and
// column goyaml gives a node into the byte offset a splice needs.
type text struct {
	b []byte
	// starts holds the byte offset of each line's first byte; line n
	// (1-based) starts at starts[n-1].
	starts []int
	// eol is the line end new lines are written with: the file's first
	// one, "\n" when it has none.
	eol string
}

func newText(b []byte) *text {
	t := &text{b: b, starts: []int{0}, eol: "\n"}
	for i, c := range b {
		if c == '\n' {
			t.starts = append(t.starts, i+1)
		}
	}
	if i := bytes.IndexByte(b, '\n'); i > 0 && b[i-1] == '\r' {
		t.eol = "\r\n"
	}
	return t
}

// lines is the number of lines (a final line end starts an empty last line).
func (t *text) lines() int { return len(t.starts) }

// line returns line n (1-based) without its line end.
func (t *text) line(n int) []byte {
	if n < 1 || n > len(t.starts) {
		return nil
	}
	return t.b[t.starts[n-1]:t.lineEnd(n)]
}

// lineEnd is the offset of line n's line end ("\n" or "\r\n"), or of the
// end of the file for a last line without one.
func (t *text) lineEnd(n int) int {
	start, end := t.starts[n-1], len(t.b)
	if n < len(t.starts) {
		end = t.starts[n] - 1
	}
	if end > start && t.b[end-1] == '\r' {
		end--
	}
	return end
}

// offset turns goyaml's 1-based line and column (counted in characters)
// into a byte offset.
func (t *text) offset(line, col int) (int, bool) {
	if line < 1 || line > len(t.starts) || col < 1 {
		return 0, false
	}
	off, end := t.starts[line-1], t.lineEnd(line)
	for range col - 1 {
		if off >= end {
			return 0, false
		}
		_, size := utf8.DecodeRune(t.b[off:end])
		off += size
	}
	return off, true
}

// indent is the number of leading spaces of line n, or -1 when the line is
// blank.
func (t *text) indent(n int) int {
	l := t.line(n)
	i := 0
	for i < len(l) && l[i] == ' ' {
		i++
	}
	if len(bytes.TrimSpace(l[i:])) == 0 {
		return -1
	}
	return i
}

// entryEnd is the last line of a block mapping entry whose key sits at line
// keyLine, column keyCol: the lines after it that are indented deeper
// belong to its value, and so do "- " lines at the key's own column when the
// value is a sequence written without indentation. Blank lines at the end
// do not count.
func (t *text) entryEnd(keyLine, keyCol int, dashAtKeyCol bool) int {
	keyIndent := keyCol - 1
	last := keyLine
	for n := keyLine + 1; n <= t.lines(); n++ {
		ind := t.indent(n)
		switch {
		case ind < 0:
			continue
		case ind > keyIndent:
			last = n
			continue
		case ind == keyIndent && dashAtKeyCol && isDashLine(t.line(n)[ind:]):
			last = n
			continue
		}
		break
	}
	return last
}

// lastLine is the last line any node under n starts on: with entryEnd, it
// finds the end of a flow collection whose closing lines are indented
// less than YAML asks (which goyaml accepts).
func lastLine(n *yaml.Node) int {
	last := n.Line
	for _, c := range n.Content {
		last = max(last, lastLine(c))
	}
	return last
}

// keepsTrailingLines reports whether the last node under n, the one an
// insertion after n would follow, is a block scalar that keeps blank lines
// at its end (the "+" chomping indicator: `|+`, `>+`). Those lines are part
// of its value, and entryEnd, which counts no blank line at the end of an
// entry, would put the insertion before them and change the value.
func keepsTrailingLines(n *yaml.Node) bool {
	for n.Kind != yaml.ScalarNode {
		if n.Kind == yaml.AliasNode || len(n.Content) == 0 {
			return false
		}
		n = n.Content[len(n.Content)-1]
	}
	return n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 && strings.HasSuffix(n.Value, "\n\n")
}

// isDashLine reports whether l (from its first non-blank) starts a block
// sequence item: "-" followed by a blank or the line end, which "---" is
// not.
func isDashLine(l []byte) bool {
	return len(l) > 0 && l[0] == '-' && (len(l) == 1 || l[1] == ' ' || l[1] == '\t' || l[1] == '\r')
}

// scalarSpan is where a scalar node's text is in the source: start and end
// offsets of the whole token (quotes included) and of its content (quotes
// excluded). It is found only for scalars written on one line, plain or
// quoted; ok is false for anything else, and the node is then left alone.
type scalarSpan struct {
	start, end               int
	contentStart, contentEnd int
}

func (t *text) scalar(n *yaml.Node, inFlow bool) (scalarSpan, bool) {
	if n.Kind != yaml.ScalarNode || n.Style&yaml.TaggedStyle != 0 {
		return scalarSpan{}, false
	}
	start, ok := t.offset(n.Line, n.Column)
	if !ok {
		return scalarSpan{}, false
	}
	end := t.lineEnd(n.Line)
	rest := t.b[start:end]
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		if len(rest) == 0 || rest[0] != '"' {
			return scalarSpan{}, false
		}
		for i := 1; i < len(rest); i++ {
			switch rest[i] {
			case '\\':
				i++
			case '"':
				return scalarSpan{start, start + i + 1, start + 1, start + i}, true
			}
		}
		return scalarSpan{}, false // continues on the next line
	case n.Style&yaml.SingleQuotedStyle != 0:
		if len(rest) == 0 || rest[0] != '\'' {
			return scalarSpan{}, false
		}
		for i := 1; i < len(rest); i++ {
			if rest[i] == '\'' {
				if i+1 < len(rest) && rest[i+1] == '\'' {
					i++
					continue
				}
				return scalarSpan{start, start + i + 1, start + 1, start + i}, true
			}
		}
		return scalarSpan{}, false
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return scalarSpan{}, false
	}
	// A plain scalar ends at a comment, at ": " (a key), and in flow
	// context at a flow indicator.
	stop := len(rest)
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if c == '#' && i > 0 && (rest[i-1] == ' ' || rest[i-1] == '\t') ||
			c == ':' && (i+1 == len(rest) || rest[i+1] == ' ' || rest[i+1] == '\t' || inFlow && strings.IndexByte(",[]{}", rest[i+1]) >= 0) ||
			inFlow && strings.IndexByte(",[]{}", c) >= 0 {
			stop = i
			break
		}
	}
	tok := bytes.TrimRight(rest[:stop], " \t")
	if string(tok) != n.Value {
		// Folded over several lines, or otherwise not what it seems.
		return scalarSpan{}, false
	}
	return scalarSpan{start, start + len(tok), start, start + len(tok)}, true
}

// flowEnd is the offset just past the "}" or "]" closing the flow
// collection that starts at node n, when it closes on the same line.
func (t *text) flowEnd(n *yaml.Node) (start, end int, ok bool) {
	start, ok = t.offset(n.Line, n.Column)
	if !ok {
		return 0, 0, false
	}
	lineEnd := t.lineEnd(n.Line)
	depth := 0
	for i := start; i < lineEnd; i++ {
		switch c := t.b[i]; c {
		case '"', '\'':
			j := i + 1
			for ; j < lineEnd && t.b[j] != c; j++ {
				if c == '"' && t.b[j] == '\\' {
					j++
				}
			}
			i = j
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return start, i + 1, true
			}
		}
	}
	return 0, 0, false
}

// style is how a document indents: the width of one level, and how far a
// block sequence's "- " sits right of its key (0 when the items are written
// at the key's column).
type style struct {
	width     int
	seqOffset int
}

// docStyle reads the style of the document under root: the most frequent
// nesting width of block mappings, and the most frequent offset of block
// sequences under keys. A document that shows neither gets two spaces and
// indented sequences, what kubectl and most editors write.
func docStyle(root *yaml.Node) style {
	widths, offsets := map[int]int{}, map[int]int{}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if v.Style&yaml.FlowStyle == 0 && v.Line > k.Line {
					switch v.Kind {
					case yaml.MappingNode:
						if d := v.Column - k.Column; d > 0 {
							widths[d]++
						}
					case yaml.SequenceNode:
						if d := v.Column - k.Column; d >= 0 {
							offsets[d]++
						}
					}
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
	s := style{width: mostFrequent(widths, 2)}
	s.seqOffset = mostFrequent(offsets, s.width)
	return s
}

// mostFrequent returns the key with the highest count, the smallest on a
// tie, or def for an empty map.
func mostFrequent(m map[int]int, def int) int {
	best, bestN := def, 0
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if m[k] > bestN {
			best, bestN = k, m[k]
		}
	}
	return best
}
