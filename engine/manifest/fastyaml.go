package manifest

import (
	"strings"
	"unicode/utf8"
)

// fastParse reads one document written in the block style nearly every
// manifest uses (block mappings and sequences, plain and quoted one-line
// scalars, literal block scalars, one-line flow sequences of scalars,
// comments) straight into JSON-compatible values and a position tree,
// without goyaml's token, event and node allocations: several times faster
// and a fraction of the memory. Anything else (anchors and aliases, tags,
// folded or multi-line scalars, escapes in double quotes, flow mappings,
// tabs, duplicate keys, syntax errors) makes it give up, and the caller
// parses the document with goyaml instead, which also words the errors. So
// fastParse never has to be right about anything it does not accept, and a
// test holds it to goyaml's values and positions on everything it does.
func fastParse(data []byte, maxDepth int) (map[string]any, *posNode, bool) {
	if !plainBytes(data) {
		return nil, nil, false
	}
	p := &fastParser{src: string(data), line: 1, maxDepth: maxDepth}
	return p.document()
}

// plainBytes reports whether data holds only what the fast parser reads
// as it stands: no tab, carriage return or other control character, no
// C1 control, line or paragraph separator, byte-order mark or
// non-character, whose handling it leaves to goyaml.
func plainBytes(data []byte) bool {
	for i := 0; i < len(data); i++ {
		c := data[i]
		switch {
		case c >= 0x20 && c < 0x7f, c == '\n':
		case c < 0x20, c == 0x7f:
			return false
		case c == 0xc2 && i+1 < len(data) && data[i+1] < 0xa0:
			return false // U+0080 to U+009F
		case c == 0xef && i+2 < len(data) && (data[i+1] == 0xbb && data[i+2] == 0xbf || data[i+1] == 0xbf && data[i+2] >= 0xbe):
			return false // U+FEFF, U+FFFE, U+FFFF
		case c == 0xe2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xa8 || data[i+2] == 0xa9):
			return false // U+2028, U+2029: goyaml breaks lines there
		}
	}
	return true
}

type fastParser struct {
	src      string
	off      int // start of the first line not yet read
	line     int // number of the line at off
	maxDepth int

	// cur is the line being read; peeked, when set, is the next content
	// line after it.
	cur    srcLine
	peeked *srcLine
	next   srcLine
	failed bool // peek met something only goyaml may read
}

// srcLine is one line of the source: [start, end) without the newline,
// with indent leading spaces, number num, and after the offset of the line
// that follows it.
type srcLine struct {
	start, end, indent, num, after int
}

func (l srcLine) content() int { return l.start + l.indent }

// peek returns the next line with content, skipping blank and comment-only
// lines, without consuming it.
func (p *fastParser) peek() (srcLine, bool) {
	if p.peeked != nil {
		return *p.peeked, true
	}
	off, num := p.off, p.line
	for off < len(p.src) {
		end := strings.IndexByte(p.src[off:], '\n')
		after := len(p.src)
		if end < 0 {
			end = len(p.src)
		} else {
			end += off
			after = end + 1
		}
		indent := 0
		for off+indent < end && p.src[off+indent] == ' ' {
			indent++
		}
		if off+indent < end && p.src[off+indent] != '#' {
			if line := p.src[off:end]; indent == 0 && (line[0] == '-' || line[0] == '.') && (isDocMarker([]byte(line), "---") || isDocMarker([]byte(line), "...")) {
				// The splitter cuts documents at markers; one here
				// means the caller did not, and goyaml should judge.
				p.failed = true
				return srcLine{}, false
			}
			p.next = srcLine{start: off, end: end, indent: indent, num: num, after: after}
			p.peeked = &p.next
			return p.next, true
		}
		off, num = after, num+1
	}
	return srcLine{}, false
}

// take makes l, the line peek returned, the current one.
func (p *fastParser) take(l srcLine) {
	p.cur, p.peeked = l, nil
	p.off, p.line = l.after, l.num+1
}

// col is the 1-based column, in characters as goyaml counts, of offset off
// of the current line.
func (p *fastParser) col(off int) int32 {
	return width(p.src[p.cur.start:off]) + 1
}

// width is how many characters s holds. Columns count characters, and
// nearly every manifest is ASCII, where that is its length.
func width(s string) int32 {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return int32(utf8.RuneCountInString(s))
		}
	}
	return int32(len(s))
}

func (p *fastParser) document() (map[string]any, *posNode, bool) {
	l, ok := p.peek()
	// Content on line 1 after indentation is content after a "---"
	// marker, which the splitter left on the line.
	if !ok || l.num == 1 && l.indent > 0 {
		return nil, nil, false
	}
	p.take(l)
	at := l.content()
	if !p.mappingStart(at) {
		return nil, nil, false
	}
	m, pos, ok := p.mapping(l.indent, at, 1)
	if !ok {
		return nil, nil, false
	}
	if _, more := p.peek(); more || p.failed {
		return nil, nil, false
	}
	return m, pos, true
}

// node reads the block node whose first character is at offset at of the
// current line, at indentation indent, inside a collection indented by
// parent. It returns the value, its position tree (nil for scalars) and
// the span of the node.
func (p *fastParser) node(at int, indent, parent, depth int) (any, *posNode, span, bool) {
	if depth > p.maxDepth {
		return nil, nil, span{}, false
	}
	switch {
	case p.dash(at, p.cur.end):
		v, pos, ok := p.sequence(indent, at, depth)
		if !ok {
			return nil, nil, span{}, false
		}
		return v, pos, pos.span, true
	case p.mappingStart(at):
		v, pos, ok := p.mapping(indent, at, depth)
		if !ok {
			return nil, nil, span{}, false
		}
		return v, pos, pos.span, true
	}
	return p.inline(at, parent, depth)
}

// dash reports whether a block sequence item starts at offset at of a line
// that ends at end.
func (p *fastParser) dash(at, end int) bool {
	return p.src[at] == '-' && (at+1 == end || p.src[at+1] == ' ')
}

// dashAt reports whether line l starts a block sequence item.
func (p *fastParser) dashAt(l srcLine) bool { return p.dash(l.content(), l.end) }

// mapping reads a block mapping whose keys are at indentation indent, the
// first at offset at of the current line.
func (p *fastParser) mapping(indent, at, depth int) (map[string]any, *posNode, bool) {
	if depth > p.maxDepth {
		return nil, nil, false
	}
	m := make(map[string]any, 8)
	pos := &posNode{span: span{line: int32(p.cur.num), col: p.col(at)}}
	for {
		key, rest, ok := p.key(at)
		if !ok || key == "<<" {
			return nil, nil, false
		}
		if _, dup := m[key]; dup {
			return nil, nil, false
		}
		k := posKey{name: key, span: span{line: int32(p.cur.num), col: p.col(at)}}
		colon := rest
		rest = p.skipSpaces(rest)
		var v any
		var val span
		if rest == p.cur.end || p.src[rest] == '#' {
			// The value, if any, is on the lines below; without one, the
			// key ends after its colon (peek leaves the key's line
			// current).
			val = span{endLine: k.line, endCol: p.col(colon)}
			nl, more := p.peek()
			switch {
			case more && nl.indent > indent:
				p.take(nl)
				v, k.val, val, ok = p.node(nl.content(), nl.indent, indent, depth+1)
			case more && nl.indent == indent && p.dashAt(nl):
				// An indentless sequence: "containers:\n- name: x".
				p.take(nl)
				v, k.val, ok = p.sequence(indent, nl.content(), depth+1)
				if ok {
					val = k.val.span
				}
			}
		} else {
			v, k.val, val, ok = p.inline(rest, indent, depth+1)
		}
		if !ok {
			return nil, nil, false
		}
		k.setEnd(val)
		m[key] = v
		pos.keys = append(pos.keys, k)

		nl, more := p.peek()
		if !more || nl.indent < indent {
			pos.setEnd(k.span)
			return m, pos, true
		}
		if nl.indent > indent || p.dashAt(nl) {
			return nil, nil, false
		}
		p.take(nl)
		at = nl.content()
	}
}

// sequence reads a block sequence whose dashes are at indentation indent,
// the first at offset at of the current line.
func (p *fastParser) sequence(indent, at, depth int) ([]any, *posNode, bool) {
	if depth > p.maxDepth {
		return nil, nil, false
	}
	var out []any
	pos := &posNode{span: span{line: int32(p.cur.num), col: p.col(at)}}
	for {
		c := p.skipSpaces(at + 1)
		if c == p.cur.end || p.src[c] == '#' {
			// An item on the lines below, or an empty one: rare enough to
			// leave to goyaml.
			return nil, nil, false
		}
		// The item's own indentation is its column, for a compact mapping
		// ("- name: x" then "  image: y") or sequence ("- - a").
		v, node, item, ok := p.node(c, c-p.cur.start, indent, depth+1)
		if !ok {
			return nil, nil, false
		}
		out = append(out, v)
		pos.items = append(pos.items, posItem{span: item, node: node})

		nl, more := p.peek()
		if !more || nl.indent < indent || nl.indent == indent && !p.dashAt(nl) {
			pos.setEnd(item)
			return out, pos, true
		}
		if nl.indent > indent {
			return nil, nil, false
		}
		p.take(nl)
		at = nl.content()
	}
}

// mappingStart reports whether a mapping key and its colon start at
// offset at of the current line.
func (p *fastParser) mappingStart(at int) bool {
	_, _, ok := p.key(at)
	return ok
}

// key reads a mapping key at offset at of the current line: a plain or
// quoted scalar followed by ":" and a space or the end of the line. It
// returns the key and the offset after the colon.
func (p *fastParser) key(at int) (string, int, bool) {
	end := p.cur.end
	s := p.src
	switch s[at] {
	case '"', '\'':
		v, next, ok := p.quoted(at)
		if !ok || next >= end || s[next] != ':' || next+1 < end && s[next+1] != ' ' || next-at > maxKeyBytes {
			return "", 0, false
		}
		return v, next + 1, true
	}
	if !plainFirst(s, at, end) {
		return "", 0, false
	}
	for i := at; i < end; i++ {
		switch s[i] {
		case ':':
			if i-at > maxKeyBytes {
				return "", 0, false
			}
			if i+1 == end || s[i+1] == ' ' {
				k := strings.TrimRight(s[at:i], " ")
				if resolvePlain(k) == nil {
					k = "null" // as sigs.k8s.io/yaml names a null key
				}
				return k, i + 1, true
			}
		case '#':
			if s[i-1] == ' ' {
				return "", 0, false
			}
		}
	}
	return "", 0, false
}

// maxKeyBytes keeps the fast parser clear of YAML's limit of 1024
// characters on an implicit key, which goyaml enforces.
const maxKeyBytes = 1000

// plainFirst reports whether a plain scalar can start at offset at: not
// with an indicator, except "-", "?" and ":" before a non-space.
func plainFirst(s string, at, end int) bool {
	switch s[at] {
	case '-', '?', ':':
		return at+1 < end && s[at+1] != ' '
	case ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	}
	return true
}

func (p *fastParser) skipSpaces(i int) int {
	for i < p.cur.end && p.src[i] == ' ' {
		i++
	}
	return i
}

// inline reads a value that starts at offset at of the current line: a
// literal block scalar, a one-line flow sequence, a quoted or a plain
// scalar. parent is the indentation of the collection that holds it: a
// line below indented more would continue the scalar, which the fast
// parser leaves to goyaml. It returns the value, its position tree (nil
// for scalars) and its span.
func (p *fastParser) inline(at, parent, depth int) (any, *posNode, span, bool) {
	s := p.src
	var v any
	var pos *posNode
	line := int32(p.cur.num)
	sp := span{line: line, col: p.col(at), endLine: line}
	switch s[at] {
	case '|':
		v, end, ok := p.literal(at, parent)
		sp.endLine, sp.endCol = end.endLine, end.endCol
		return v, nil, sp, ok
	case '[':
		var ok bool
		v, pos, ok = p.flow(at, depth)
		if !ok {
			return nil, nil, span{}, false
		}
		sp = pos.span
	case '{':
		// Only the empty mapping; other flow mappings go to goyaml.
		if !strings.HasPrefix(s[at:p.cur.end], "{}") || !p.lineDone(at+2) {
			return nil, nil, span{}, false
		}
		sp.endCol = sp.col + 2
		v, pos = map[string]any{}, &posNode{span: sp}
	case '"', '\'':
		q, next, ok := p.quoted(at)
		if !ok || !p.lineDone(next) {
			return nil, nil, span{}, false
		}
		v, sp.endCol = q, sp.col+width(s[at:next])
	default:
		text, ok := p.plain(at)
		if !ok {
			return nil, nil, span{}, false
		}
		v, sp.endCol = resolvePlain(text), sp.col+width(text)
	}
	if nl, more := p.peek(); more && nl.indent > parent {
		return nil, nil, span{}, false
	}
	return v, pos, sp, true
}

// lineDone reports whether nothing but spaces and a comment follows offset
// i on the current line.
func (p *fastParser) lineDone(i int) bool {
	j := p.skipSpaces(i)
	return j == p.cur.end || j > i && p.src[j] == '#'
}

// plain reads a one-line plain scalar at offset at, up to a comment or the
// end of the line.
func (p *fastParser) plain(at int) (string, bool) {
	s, end := p.src, p.cur.end
	if !plainFirst(s, at, end) {
		return "", false
	}
	stop := end
	for i := at; i < end; i++ {
		switch s[i] {
		case ':':
			// ": " inside a value is a mapping where none may start.
			if i+1 == end || s[i+1] == ' ' {
				return "", false
			}
		case '#':
			if s[i-1] == ' ' {
				stop = i
				i = end
			}
		}
	}
	return strings.TrimRight(s[at:stop], " "), true
}

// quoted reads a one-line single- or double-quoted scalar at offset at
// and returns it and the offset after the closing quote. Escapes in double
// quotes go to goyaml.
func (p *fastParser) quoted(at int) (string, int, bool) {
	s, end := p.src, p.cur.end
	q := s[at]
	var b *strings.Builder
	for i := at + 1; i < end; i++ {
		switch {
		case q == '"' && s[i] == '\\':
			return "", 0, false
		case s[i] != q:
		case q == '\'' && i+1 < end && s[i+1] == '\'':
			// '' is a quote inside single quotes.
			if b == nil {
				b = &strings.Builder{}
			}
			b.WriteString(s[at+1 : i+1])
			at = i + 1
			i++
		default:
			if b == nil {
				return s[at+1 : i], i + 1, true
			}
			b.WriteString(s[at+1 : i])
			return b.String(), i + 1, true
		}
	}
	return "", 0, false
}

// flow reads a flow sequence of scalars that opens and closes on the
// current line: ["a", b, 3].
func (p *fastParser) flow(at, depth int) ([]any, *posNode, bool) {
	if depth > p.maxDepth {
		return nil, nil, false
	}
	s, end := p.src, p.cur.end
	line := int32(p.cur.num)
	pos := &posNode{span: span{line: line, col: p.col(at), endLine: line}}
	out := []any{}
	i := p.skipSpaces(at + 1)
	if i < end && s[i] == ']' {
		pos.endCol = p.col(i + 1)
		return out, pos, p.lineDone(i + 1)
	}
	for i < end {
		item := posItem{span: span{line: line, col: p.col(i), endLine: line}}
		first := i
		var v any
		switch s[i] {
		case '"', '\'':
			q, next, ok := p.quoted(i)
			if !ok {
				return nil, nil, false
			}
			v, i = q, next
		default:
			start := i
			for i < end && s[i] != ',' && s[i] != ']' {
				switch s[i] {
				case '[', '{', '}', '#', ':', '?', '"', '\'':
					// Nested or keyed items, comments, quotes halfway,
					// and "?", which ends a flow scalar for goyaml:
					// goyaml's.
					return nil, nil, false
				}
				i++
			}
			text := strings.TrimRight(s[start:i], " ")
			// In flow context "-", "?" and ":" start a plain scalar only
			// before a character that is not a flow indicator either.
			if text == "" || !plainFirst(s, start, end) || len(text) == 1 && strings.IndexByte("-?:", text[0]) >= 0 {
				return nil, nil, false
			}
			v = resolvePlain(text)
			i = start + len(text)
		}
		item.endCol = item.col + width(s[first:i])
		out = append(out, v)
		pos.items = append(pos.items, item)
		i = p.skipSpaces(i)
		if i >= end {
			return nil, nil, false
		}
		if s[i] == ']' {
			pos.endCol = p.col(i + 1)
			return out, pos, p.lineDone(i + 1)
		}
		if s[i] != ',' {
			return nil, nil, false
		}
		i = p.skipSpaces(i + 1)
	}
	return nil, nil, false
}

// literal reads a literal block scalar ("|" or "|-") whose indicator is at
// offset at of the current line, inside a collection indented by parent.
// Its lines are taken as they are; the lines after it are left unread. It
// returns the text and where the scalar ends: at the end of its last line
// with text, or after its header when it has none.
func (p *fastParser) literal(at, parent int) (any, span, bool) {
	s := p.src
	strip := false
	i := at + 1
	if i < p.cur.end && s[i] == '-' {
		strip = true
		i++
	}
	if !p.lineDone(i) || i < p.cur.end && s[i] != ' ' {
		// "|+", an indentation indicator, or anything else after "|".
		return nil, span{}, false
	}
	last := span{endLine: int32(p.cur.num), endCol: p.col(i)}
	// Raw lines from here: comments inside the scalar are its text.
	indent := -1
	var lines []string
	off, num := p.cur.after, p.cur.num+1
	resume, resumeNum := off, num // after the scalar's last line
	for off < len(s) {
		end := strings.IndexByte(s[off:], '\n')
		if end < 0 {
			// A scalar running to the end of the input without a final
			// newline: goyaml's chomping there is its own business.
			return nil, span{}, false
		}
		end += off
		sp := 0
		for off+sp < end && s[off+sp] == ' ' {
			sp++
		}
		blank := off+sp == end
		if indent < 0 && !blank {
			if sp <= parent {
				break
			}
			indent = sp
		}
		if !blank && sp < indent {
			break
		}
		switch {
		case blank && (indent < 0 && sp > 0 || indent >= 0 && sp > indent):
			// Blank lines with spaces before the indentation is known, or
			// past it: goyaml's to judge.
			return nil, span{}, false
		case blank:
			lines = append(lines, "")
		default:
			lines = append(lines, s[off+indent:end])
		}
		if !blank {
			last.endLine, last.endCol = int32(num), width(s[off:end])+1
		}
		off, num = end+1, num+1
		if !blank {
			resume, resumeNum = off, num
		}
	}
	// Trailing blank lines are not part of the text; the reader resumes
	// after the last line with text.
	n := len(lines)
	for n > 0 && lines[n-1] == "" {
		n--
	}
	text := strings.Join(lines[:n], "\n")
	if n > 0 && !strip {
		text += "\n"
	}
	if indent < 0 {
		resume, resumeNum = p.cur.after, p.cur.num+1
	}
	p.off, p.line, p.peeked = resume, resumeNum, nil
	if nl, more := p.peek(); more && nl.indent > parent {
		return nil, span{}, false
	}
	return text, last, true
}
