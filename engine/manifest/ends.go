package manifest

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// source is a document's text indexed by line, for the goyaml path to find
// where nodes end: goyaml's node API records only where they start. It
// reads the few lexical rules that decide a scalar's extent (quotes, block
// scalar indentation, properties, comments), not YAML as a whole: the node
// tree already says what each node is.
type source struct {
	text  string
	data  []byte // text's bytes as the caller gave them, for NextLine and goyaml
	odd   bool   // HasOddLineBreaks(data)
	lines []int  // byte offset of the start of each line
}

// newSource indexes data's lines where goyaml breaks them (see NextLine),
// so that the ends found here and the starts goyaml reports count lines
// alike.
func newSource(data []byte) *source {
	s := &source{text: string(data), data: data, odd: HasOddLineBreaks(data), lines: []int{0}}
	for off := 0; off < len(data); {
		end, next := NextLine(data, off, s.odd)
		if next > end {
			s.lines = append(s.lines, next)
		}
		off = next
	}
	return s
}

// LineBreakLen is the length in bytes of the line break at t[i], or 0:
// goyaml (after YAML 1.1) breaks lines at "\r\n", "\n" and a lone "\r",
// and at NEL, LS and PS (U+0085, U+2028, U+2029), and so every line and
// column kubegate reports counts them so. The fast parser takes none but
// "\n", so a document with any other reaches the goyaml path.
func LineBreakLen[T ~string | ~[]byte](t T, i int) int {
	switch t[i] {
	case '\n':
		return 1
	case '\r':
		if i+1 < len(t) && t[i+1] == '\n' {
			return 2
		}
		return 1
	case 0xc2:
		if i+1 < len(t) && t[i+1] == 0x85 {
			return 2
		}
	case 0xe2:
		if i+2 < len(t) && t[i+1] == 0x80 && (t[i+2] == 0xa8 || t[i+2] == 0xa9) {
			return 3
		}
	}
	return 0
}

// HasOddLineBreaks reports whether data breaks a line other than with
// "\n" or "\r\n": with a lone "\r" (classic Mac OS), NEL, LS or PS, all
// of which goyaml counts as line breaks, unlike tools that split at "\n".
func HasOddLineBreaks(data []byte) bool {
	for i := bytes.IndexByte(data, '\r'); i >= 0; {
		if i+1 == len(data) || data[i+1] != '\n' {
			return true
		}
		j := bytes.IndexByte(data[i+1:], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return bytes.Contains(data, []byte("\u0085")) || bytes.Contains(data, []byte("\u2028")) || bytes.Contains(data, []byte("\u2029"))
}

// NextLine returns the end of the line that starts at off (before its
// break) and the start of the next one (len(data) for both on the last
// line), breaking lines as goyaml does; odd is HasOddLineBreaks(data),
// which the caller learns once, so that files without such breaks are
// cut with bytes.IndexByte.
func NextLine(data []byte, off int, odd bool) (end, next int) {
	if !odd {
		nl := bytes.IndexByte(data[off:], '\n')
		if nl < 0 {
			return len(data), len(data)
		}
		end, next = off+nl, off+nl+1
		if end > off && data[end-1] == '\r' {
			end--
		}
		return end, next
	}
	for i := off; i < len(data); i++ {
		if n := LineBreakLen(data, i); n > 0 {
			return i, i + n
		}
	}
	return len(data), len(data)
}

// offset is the byte offset of a 1-based line and column (in characters,
// as goyaml counts them), clamped to the line.
func (s *source) offset(line, col int) int {
	if line < 1 || line > len(s.lines) {
		return len(s.text)
	}
	off := s.lines[line-1]
	for c := 1; c < col && off < len(s.text) && LineBreakLen(s.text, off) == 0; c++ {
		_, size := utf8.DecodeRuneInString(s.text[off:])
		off += size
	}
	return off
}

// mark is the 1-based line and column of byte offset off, clamped to the
// text so that an end found from a start that lies past it (which goyaml
// may report after a final break) is the text's end, never a panic.
func (s *source) mark(off int) (line, col int32) {
	off = min(max(off, 0), len(s.text))
	i := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	return int32(i + 1), int32(utf8.RuneCountInString(s.text[s.lines[i]:off]) + 1)
}

// column is the 1-based column of byte offset off.
func (s *source) column(off int) int {
	_, col := s.mark(off)
	return int(col)
}

// isEmpty reports whether n is a scalar with no text at all: a missing
// value, or a lone "-".
func isEmpty(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Value == "" &&
		n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0
}

// skipProperties returns the offset of a node's content: after the tags
// and anchors at off, and the blanks, line breaks and comments around them.
func (s *source) skipProperties(off int) int {
	t := s.text
	for off < len(t) {
		if n := LineBreakLen(t, off); n > 0 {
			off += n
			continue
		}
		switch t[off] {
		case ' ', '\t':
			off++
		case '#':
			off = s.lineEnd(off)
		case '!', '&':
			off = s.tokenEnd(off)
		default:
			return off
		}
	}
	return off
}

// afterProperties is the offset after a node's last tag or anchor, or its
// start when it has none: where an empty node ends.
func (s *source) afterProperties(n *yaml.Node) int {
	off := s.offset(n.Line, n.Column)
	end := off
	for off < len(s.text) {
		switch s.text[off] {
		case ' ', '\t':
			off++
		case '!', '&':
			off = s.tokenEnd(off)
			end = off
		default:
			return end
		}
	}
	return end
}

// tokenEnd is the end of a tag, anchor or alias name at off: the next
// blank, line break or flow indicator.
func (s *source) tokenEnd(off int) int {
	t := s.text
	for ; off < len(t) && LineBreakLen(t, off) == 0; off++ {
		switch t[off] {
		case ' ', '\t', ',', '[', ']', '{', '}':
			return off
		}
	}
	return min(off, len(t)) // see mark: an offset from goyaml's lines may lie past the text
}

// lineEnd is the offset of the end of the line holding off, before its
// line break.
func (s *source) lineEnd(off int) int {
	if off >= len(s.data) {
		return len(s.data) // see mark: an offset from goyaml's lines may lie past the text
	}
	end, _ := NextLine(s.data, off, s.odd)
	return end
}

// lineAfter is the offset of the start of the line after the one holding
// off, or -1 on the last line.
func (s *source) lineAfter(off int) int {
	i := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off })
	if i == len(s.lines) {
		return -1
	}
	return s.lines[i]
}

// colonEnd is the offset after the ":" that follows a key ending at off,
// or off if there is none (a flow mapping's "{a}").
func (s *source) colonEnd(off int) int {
	i := off
	for i < len(s.text) && (s.text[i] == ' ' || s.text[i] == '\t') {
		i++
	}
	if i < len(s.text) && s.text[i] == ':' {
		return i + 1
	}
	return off
}

// valueEnd is the offset where value v ends; built is its position tree
// when it is a collection, indent the indentation of the collection that
// holds it.
func (s *source) valueEnd(v *yaml.Node, built *posNode, indent int) int {
	switch {
	case v.Kind == yaml.AliasNode:
		return s.tokenEnd(s.offset(v.Line, v.Column) + 1)
	case built != nil:
		return s.offset(int(built.endLine), int(built.endCol))
	}
	return s.end(v, indent)
}

// end is the offset where scalar or alias n ends; indent is the
// indentation of the collection that holds it, which a block scalar's lines
// must exceed.
func (s *source) end(n *yaml.Node, indent int) int {
	start := s.offset(n.Line, n.Column)
	switch n.Kind {
	case yaml.AliasNode:
		return s.tokenEnd(start + 1)
	case yaml.ScalarNode:
	default:
		return start
	}
	off := s.skipProperties(start)
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0:
		return s.quotedEnd(off, '"')
	case n.Style&yaml.SingleQuotedStyle != 0:
		return s.quotedEnd(off, '\'')
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return s.blockEnd(off, n.Value, indent)
	case n.Value == "":
		return s.afterProperties(n)
	}
	return s.plainEnd(off, n.Value)
}

// quotedEnd is the offset after the closing quote of the scalar quoted
// with q at off: a backslash escapes the next character in double
// quotes, and two single quotes are one in single quotes. Either may span
// lines.
func (s *source) quotedEnd(off int, q byte) int {
	t := s.text
	if off >= len(t) || t[off] != q {
		return off
	}
	for i := off + 1; i < len(t); i++ {
		switch {
		case q == '"' && t[i] == '\\':
			i++
		case t[i] != q:
		case q == '\'' && i+1 < len(t) && t[i+1] == '\'':
			i++
		default:
			return i + 1
		}
	}
	return len(t)
}

// plainEnd is the offset after plain scalar value, which starts at off. A
// plain scalar's text is its value with the whitespace between words
// folded, so walking both side by side finds its last character, on
// whichever line that is.
func (s *source) plainEnd(off int, value string) int {
	t := s.text
	i := off
	for j := 0; j < len(value); j++ {
		switch c := value[j]; {
		case c == ' ' || c == '\t' || c == '\n':
			for i < len(t) {
				if n := LineBreakLen(t, i); n > 0 {
					i += n
				} else if t[i] == ' ' || t[i] == '\t' {
					i++
				} else {
					break
				}
			}
		case i < len(t) && t[i] == c:
			i++
		default:
			return i // not what goyaml read: stop where the two part
		}
	}
	return i
}

// blockEnd is where the block scalar ("|" or ">") whose indicator is at off
// ends: at the end of its last line with text, or after its header when it
// has none. Its lines are those indented past indent (by exactly the
// indentation indicator, when there is one) and the blank lines among them.
func (s *source) blockEnd(off int, value string, indent int) int {
	t := s.text
	i := min(off+1, len(t)) // off may be the text's end; see mark
	explicit := 0
	for i < len(t) && (t[i] == '+' || t[i] == '-' || t[i] >= '1' && t[i] <= '9') {
		if t[i] != '+' && t[i] != '-' {
			explicit = int(t[i] - '0')
		}
		i++
	}
	header := i
	if strings.Trim(value, "\n") == "" {
		return header
	}
	content := -1 // the lines' indentation
	if explicit > 0 {
		content = indent + explicit
	}
	last := header
	for start := s.lineAfter(i); start >= 0; start = s.lineAfter(start) {
		end := s.lineEnd(start)
		sp := 0
		for start+sp < end && t[start+sp] == ' ' {
			sp++
		}
		if start+sp < end {
			if content < 0 {
				if sp <= indent {
					break
				}
				content = sp
			}
			if sp < content {
				break
			}
			last = end
		}
	}
	return last
}

// closingBracket is the offset after the "]" or "}" that closes a flow
// collection whose last entry ends at off: only blanks, line breaks,
// comments, a trailing comma, or the ":" of an empty last value come
// between.
func (s *source) closingBracket(off int) int {
	t := s.text
	for i := off; i < len(t); i++ {
		if n := LineBreakLen(t, i); n > 0 {
			i += n - 1
			continue
		}
		switch t[i] {
		case ' ', '\t', ',', ':', '?':
		case '#':
			i = s.lineEnd(i)
		case ']', '}':
			return i + 1
		default:
			return off
		}
	}
	return off
}
