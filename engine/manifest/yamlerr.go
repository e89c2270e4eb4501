package manifest

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/kubegate/kubegate/engine"
)

// YAMLError locates an error of go.yaml.in/yaml/v3 about data, read from
// file, the way manifests' syntax errors are located (see syntaxError),
// with the message cleaned of yaml's "line N:" prefix. Other YAML files
// kubegate reads (its configuration) report their syntax errors through it.
func YAMLError(file string, data []byte, err error) *engine.FileError {
	msg, line, col := syntaxError(data, err)
	return fileErr(file, line, col, "%s", msg)
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): `)

// cleanYAMLError drops goyaml's "yaml: line N:" prefix, which the location
// already says.
func cleanYAMLError(err error) string {
	msg := err.Error()
	if loc := yamlLineRE.FindStringIndex(msg); loc != nil {
		return "yaml: " + msg[loc[1]:]
	}
	return msg
}

var unknownAnchorRE = regexp.MustCompile(`unknown anchor '([^']*)' referenced`)

// syntaxError turns a goyaml error, which states only a line (and for an
// unknown anchor, a control character or a mistake on the first line not
// even that), into a message, line and column: the column of a tab in the
// line's indentation (YAML indents with spaces only), of the alias that
// names an unknown anchor, of the control character, of the opening
// bracket of a flow collection left unclosed, or else of the line's first
// non-blank character. The line goyaml names is where the construct it
// was reading began, counted from 0 for a parser's error: it is only a
// start, which flowStart and problemLine take further.
func syntaxError(data []byte, err error) (msg string, line, col int) {
	msg = cleanYAMLError(err)
	src := newSource(data) // goyaml's line numbers count its line breaks
	at := func(i int) (int, int) {
		l, c := src.mark(i)
		return int(l), int(c)
	}
	if m := unknownAnchorRE.FindStringSubmatch(err.Error()); m != nil {
		if i := bytes.Index(data, []byte("*"+m[1])); i >= 0 {
			line, col = at(i)
		}
		return msg, line, col
	}
	if strings.HasSuffix(msg, "control characters are not allowed") {
		if i := disallowedChar(data); i >= 0 {
			r, _ := utf8.DecodeRune(data[i:])
			line, col = at(i)
			return fmt.Sprintf("yaml: control character %U is not allowed", r), line, col
		}
		return msg, 0, 0
	}
	named := false
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		named = true
	} else {
		line = 1 // goyaml names no line when its marks are on the first
	}
	if i := src.flowStart(msg, line, named); i >= 0 {
		line, col = at(i)
		return msg, line, col
	}
	line = src.problemLine(msg, line)
	start := src.offset(line, 1)
	text := src.text[start:src.lineEnd(start)]
	trimmed := strings.TrimLeft(text, " \t")
	indent := text[:len(text)-len(trimmed)]
	if i := strings.IndexByte(indent, '\t'); i >= 0 {
		return "yaml: tab character in indentation; YAML indents with spaces only", line, utf8.RuneCountInString(text[:i]) + 1
	}
	return msg, line, utf8.RuneCountInString(indent) + 1
}

// disallowedChar is the offset of data's first character that YAML does
// not allow in a stream (a C0 or C1 control other than tab, line breaks
// and NEL, DEL, U+FFFE, U+FFFF), or -1.
func disallowedChar(data []byte) int {
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == '\t' || r == '\n' || r == '\r' || r == 0x85:
		case r < 0x20 || r >= 0x7f && r < 0xa0 || r == 0xfffe || r == 0xffff:
			return i
		}
		i += size
	}
	return -1
}

// flowStart is the offset of the opening bracket of the flow collection
// that goyaml's msg says is not closed, or -1 when msg is about something
// else or the bracket is not found. goyaml names the line of that bracket
// counted from 0 (one less than its number), or no line when it is the
// first: the bracket is the last one of its kind that the line leaves
// open.
func (s *source) flowStart(msg string, line int, named bool) int {
	var open, close byte
	switch {
	case strings.HasSuffix(msg, "did not find expected ',' or ']'"):
		open, close = '[', ']'
	case strings.HasSuffix(msg, "did not find expected ',' or '}'"):
		open, close = '{', '}'
	default:
		return -1
	}
	candidates := []int{1}
	if named {
		candidates = []int{line + 1, 1}
	}
	for _, l := range candidates {
		if l > len(s.lines) {
			continue
		}
		start := s.offset(l, 1)
		if i := unclosed(s.text[start:s.lineEnd(start)], open, close); i >= 0 {
			return start + i
		}
	}
	return -1
}

// unclosed is the offset in line of the last open bracket that the line
// does not close, outside quotes and comments, or -1.
func unclosed(line string, open, close byte) int {
	var stack []int
	var quote byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t'):
			i = len(line)
		case c == open:
			stack = append(stack, i)
		case c == close && len(stack) > 0:
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) == 0 {
		return -1
	}
	return stack[len(stack)-1]
}

// maxRefinedSize is the largest document whose syntax errors problemLine
// looks into: it parses the document a few times, about 2·log2 of the
// number of lines between goyaml's line and the mistake.
const maxRefinedSize = 1 << 20

// problemLine is the line where the document stops being YAML with the
// error msg: goyaml names the line where the construct it was reading
// began (a block mapping's first key, a flow sequence's "["), which may be
// far above the mistake, and not the line it stopped at. Cut at a line
// break, a YAML document that is valid so far parses, or fails on the
// cut itself (an unclosed quote or bracket) with another message; so the
// first cut that fails with msg ends at the mistake. It is searched for
// from goyaml's line down (the mistake is never above it), by steps that
// double, then by bisection, since mistakes are mostly near that line;
// when the cut just above the one found also fails with msg, or the whole
// document fails otherwise, goyaml's own line is kept.
func (s *source) problemLine(msg string, line int) int {
	n := len(s.lines)
	if line < 1 || line >= n || len(s.text) > maxRefinedSize {
		return line
	}
	// fails reports whether the text up to the end of line k fails with msg.
	fails := func(k int) bool {
		end := len(s.text)
		if k < n {
			end = s.lines[k]
		}
		var doc yaml.Node
		err := yaml.Unmarshal(s.data[:end], &doc)
		return err != nil && cleanYAMLError(err) == msg
	}
	if fails(line) || !fails(n) {
		return line
	}
	lo, hi := line, n // the cut at lo passes; the one at hi fails
	for step := 1; lo+step < hi; step *= 2 {
		if fails(lo + step) {
			hi = lo + step
			break
		}
		lo += step
	}
	k := lo + 1 + sort.Search(hi-lo-1, func(i int) bool { return fails(lo + 1 + i) })
	if k-1 > lo && fails(k-1) {
		return line
	}
	return k
}
