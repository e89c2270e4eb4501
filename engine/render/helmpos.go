package render

import (
	"path"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"
	"unicode/utf8"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
)

// Positions in a Helm chart come from rendering it twice: as it is, for the
// objects, and with a mark written into each template before everything
// its body outputs: before each line of literal text (after the
// indentation), at the start of each text node, and before each action
// that prints. In the second output, the mark in force at a byte says
// which template line produced it: a literal line, whose text the byte is,
// or an action ({{ include ... }}, {{ toYaml ... }}), which printed it.
// Marks are never placed where they would change what Go templates trim
// ({{- and -}} remove spaces only up to a mark, so marks go where the
// spaces they would stop at are not there), and an action's output is
// left as it is. A template's own defines and other templates'
// ({{ define }}, _helpers.tpl) get no marks, so what include and template
// compute from them (names cut to 63 characters, hashes) is unchanged. The
// text of another template file that an action includes carries that
// file's marks; they are passed over, so it stays the action's output.
//
// The second output with its marks removed must equal the first: each
// line is used only as far as it does (a hash of another template's text,
// which now holds marks, differs, and so do random values), and when the
// line counts differ, no line after the first difference is used. A
// position is thus either the template line that wrote it or none; the
// locator then falls back to the nearest field above it that has one.

const (
	markStart = '\x1f' // ASCII unit separator: no template writes it
	markEnd   = '\x1e' // ASCII record separator
)

// mark is one place in a template that marked output points back to.
type mark struct {
	tmpl      string // the template's name, e.g. web/templates/deploy.yaml
	line, col int    // 1-based; col counts runes
	action    bool   // an action's output, rather than the template's text
}

// point is where a mark goes in a template's source (off), and the place
// it stands for (at: the text itself, or an action's "{{").
type point struct {
	off, at int
	action  bool
}

// instrument returns src with marks written into it, appending them to
// marks, or src unchanged and false when it does not parse (the real
// render then reports why).
func instrument(src, name string, marks *[]mark) (string, bool) {
	tr := parse.New(name)
	tr.Mode = parse.SkipFuncCheck
	if _, err := tr.Parse(src, "", "", map[string]*parse.Tree{}); err != nil || tr.Root == nil {
		return src, false
	}
	var pts []point
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.TextNode:
			pts = append(pts, textPoints(int(n.Pos), n.Text)...)
		case *parse.ActionNode:
			if len(n.Pipe.Decl) == 0 {
				if off, at, ok := actionPoint(src, int(n.Pos)); ok {
					pts = append(pts, point{off: off, at: at, action: true})
				}
			}
		case *parse.TemplateNode:
			if off, at, ok := actionPoint(src, int(n.Pos)); ok {
				pts = append(pts, point{off: off, at: at, action: true})
			}
		case *parse.IfNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.List)
			walk(n.ElseList)
		}
	}
	walk(tr.Root)
	slices.SortStableFunc(pts, func(a, b point) int { return a.off - b.off })

	var b strings.Builder
	b.Grow(len(src) + 8*len(pts))
	last := 0
	for _, p := range pts {
		if p.off < last || p.off > len(src) {
			continue
		}
		b.WriteString(src[last:p.off])
		last = p.off
		line := strings.Count(src[:p.at], "\n") + 1
		lineStart := strings.LastIndexByte(src[:p.at], '\n') + 1
		*marks = append(*marks, mark{tmpl: name, line: line, col: utf8.RuneCountInString(src[lineStart:p.at]) + 1, action: p.action})
		b.WriteByte(markStart)
		b.WriteString(strconv.Itoa(len(*marks) - 1))
		b.WriteByte(markEnd)
	}
	b.WriteString(src[last:])
	return b.String(), true
}

// textPoints marks a text node: its start, and each line's first
// character that is not indentation.
func textPoints(pos int, text []byte) []point {
	pts := []point{{off: pos, at: pos}}
	for i, c := range text {
		if c != '\n' {
			continue
		}
		j := i + 1
		for j < len(text) && (text[j] == ' ' || text[j] == '\t') {
			j++
		}
		if j < len(text) && text[j] != '\n' && text[j] != '\r' {
			pts = append(pts, point{off: pos + j, at: pos + j})
		}
	}
	return pts
}

// actionPoint returns, given the offset of an action's first token, where
// its "{{" is and where its mark goes: before the "{{", or, when that trims
// the spaces before it ("{{- "), before those spaces, where the text they
// would be trimmed from ends.
func actionPoint(src string, pos int) (off, at int, ok bool) {
	at = strings.LastIndex(src[:pos], "{{")
	if at < 0 {
		return 0, 0, false
	}
	off = at
	if at+3 < len(src) && src[at+2] == '-' && isTemplateSpace(src[at+3]) {
		for off > 0 && isTemplateSpace(src[off-1]) {
			off--
		}
	}
	return off, at, true
}

// isTemplateSpace is text/template's idea of a space, which trim markers
// remove.
func isTemplateSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// instrumentChart returns a copy of c, a chart with its dependencies
// processed, whose templates carry marks. Partials (_helpers.tpl) are left
// as they are: they are only ever included.
func instrumentChart(c *chart.Chart, marks *[]mark) *chart.Chart {
	cp := *c
	full := c.ChartFullPath()
	cp.Templates = make([]*common.File, len(c.Templates))
	for i, t := range c.Templates {
		cp.Templates[i] = t
		if t == nil || strings.HasPrefix(path.Base(t.Name), "_") {
			continue
		}
		if data, ok := instrument(string(t.Data), path.Join(full, t.Name), marks); ok {
			cp.Templates[i] = &common.File{Name: t.Name, ModTime: t.ModTime, Data: []byte(data)}
		}
	}
	deps := make([]*chart.Chart, 0, len(c.Dependencies()))
	for _, d := range c.Dependencies() {
		deps = append(deps, instrumentChart(d, marks))
	}
	cp.SetDependencies(deps...)
	return &cp
}

// attribution says which template line wrote each line of one template's
// output.
type attribution struct {
	tmpl  string
	marks []mark
	lines []lineMarks
}

// lineMarks are the marks in force along one output line.
type lineMarks struct {
	text string // the line as rendered
	segs []segment
	// valid is how many bytes at the start of the line the marked render
	// agrees on; nothing past them is attributed.
	valid int
}

// segment is a stretch of a line written after one mark.
type segment struct {
	at    int // byte offset in the line
	mark  int // index into marks; -1 for none
	carry bool
}

// newAttribution reads the marked output of one template against its
// real output. It returns nil when nothing can be attributed.
func newAttribution(tmpl, real, marked string, marks []mark) *attribution {
	if marked == "" {
		return nil
	}
	a := &attribution{tmpl: tmpl, marks: marks}
	cur := -1
	var line strings.Builder
	segs := []segment{{mark: cur, carry: true}}
	flush := func() {
		a.lines = append(a.lines, lineMarks{text: line.String(), segs: segs})
		line.Reset()
		segs = []segment{{mark: cur, carry: true}}
	}
	for i := 0; i < len(marked); i++ {
		c := marked[i]
		switch c {
		case markStart:
			end := strings.IndexByte(marked[i:], markEnd)
			if end < 0 {
				return nil
			}
			id, err := strconv.Atoi(marked[i+1 : i+end])
			if err != nil || id < 0 || id >= len(marks) {
				return nil
			}
			i += end
			if marks[id].tmpl != tmpl {
				// Text of another template that this one's action
				// included: that action printed it.
				continue
			}
			cur = id
			s := segment{at: line.Len(), mark: id}
			if last := &segs[len(segs)-1]; last.at == s.at {
				*last = s
			} else {
				segs = append(segs, s)
			}
		default:
			if n := manifest.LineBreakLen(marked, i); n > 0 {
				flush()
				i += n - 1
				continue
			}
			line.WriteByte(c)
		}
	}
	flush()

	realLines := splitLines(real)
	sameCount := len(realLines) == len(a.lines)
	for i := range a.lines {
		if i >= len(realLines) {
			a.lines = a.lines[:i]
			break
		}
		a.lines[i].valid = commonPrefix(a.lines[i].text, realLines[i])
		a.lines[i].text = realLines[i]
		if !sameCount && a.lines[i].valid < len(realLines[i]) {
			// Lines no longer correspond past a difference in number.
			a.lines = a.lines[:i+1]
			break
		}
	}
	return a
}

// splitLines cuts s into lines where goyaml breaks them, as every line
// kubegate reports counts them: to goyaml, a line separator in a quoted
// value ends a line.
func splitLines(s string) []string {
	b := []byte(s)
	odd := manifest.HasOddLineBreaks(b)
	var lines []string
	for off := 0; ; {
		end, next := manifest.NextLine(b, off, odd)
		lines = append(lines, s[off:end])
		if next == end { // the last line, with no break after it
			return lines
		}
		off = next
	}
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// at maps a line and rune column of the output to the template: the
// literal text's own position, or the action that printed it.
func (a *attribution) at(line, col int) (int, int, bool) {
	if a == nil || line < 1 || line > len(a.lines) || col < 1 {
		return 0, 0, false
	}
	l := a.lines[line-1]
	off := byteOffset(l.text, col)
	if off < 0 || off >= l.valid {
		return 0, 0, false
	}
	i := len(l.segs) - 1
	for i > 0 && l.segs[i].at > off {
		i--
	}
	s := l.segs[i]
	if s.mark < 0 {
		return 0, 0, false
	}
	m := a.marks[s.mark]
	switch {
	case m.action:
		return m.line, m.col, true
	case s.carry:
		// Literal text continued from an earlier line: only its own line
		// has a column to count from.
		return 0, 0, false
	}
	return m.line, m.col + utf8.RuneCountInString(l.text[s.at:off]), true
}

// byteOffset returns the byte offset of the 1-based rune column col in s,
// or -1 past its end.
func byteOffset(s string, col int) int {
	n := 1
	for i := range s {
		if n == col {
			return i
		}
		n++
	}
	return -1
}

// helmLocator places fields at template lines through an attribution,
// falling back to the nearest parent field that maps when a field was
// printed by something that cannot be attributed.
type helmLocator struct {
	rendered engine.Locator // positions in the rendered output
	attr     *attribution
}

func (l *helmLocator) Locate(p engine.Path) (line, column int, exact bool) {
	for n := len(p); n >= 0; n-- {
		rl, rc, ex := l.rendered.Locate(p[:n])
		if tl, tc, ok := l.attr.at(rl, rc); ok {
			return tl, tc, ex && n == len(p)
		}
	}
	return 0, 0, false
}
