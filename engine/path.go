package engine

import (
	"fmt"
	"strconv"
	"strings"
)

// PathElem is one step of a Path: a mapping key, or a sequence index when
// IsIndex is set.
type PathElem struct {
	Key     string
	Index   int
	IsIndex bool
}

// Path is a field path inside an object, such as
// spec.template.spec.containers[0].livenessProbe. Rules build paths with
// Child and Index; the engine resolves them to a line and column.
type Path []PathElem

// NewPath builds a path from keys (strings) and indices (ints). It panics on
// any other type: it is meant for literals in rule code.
func NewPath(elems ...any) Path {
	p := make(Path, 0, len(elems))
	for _, e := range elems {
		switch v := e.(type) {
		case string:
			p = append(p, PathElem{Key: v})
		case int:
			p = append(p, PathElem{Index: v, IsIndex: true})
		default:
			panic(fmt.Sprintf("engine.NewPath: element %v of type %T is neither string nor int", e, e))
		}
	}
	return p
}

// Child returns a new path with key appended; p itself is never modified, so
// a rule may derive many children from one prefix.
func (p Path) Child(keys ...string) Path {
	out := make(Path, len(p), len(p)+len(keys))
	copy(out, p)
	for _, k := range keys {
		out = append(out, PathElem{Key: k})
	}
	return out
}

// Index returns a new path with sequence index i appended.
func (p Path) Index(i int) Path {
	out := make(Path, len(p), len(p)+1)
	copy(out, p)
	return append(out, PathElem{Index: i, IsIndex: true})
}

// String renders the path the way kubectl explain and the API server's
// field errors do: keys joined by dots, indices in brackets. A key that is not
// a plain identifier (a label key with a slash or a dot, say) is quoted in
// brackets: metadata.labels["app.kubernetes.io/name"].
func (p Path) String() string {
	var b strings.Builder
	for i, e := range p {
		switch {
		case e.IsIndex:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(e.Index))
			b.WriteByte(']')
		case plainKey(e.Key):
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(e.Key)
		default:
			b.WriteByte('[')
			b.WriteString(strconv.Quote(e.Key))
			b.WriteByte(']')
		}
	}
	return b.String()
}

func plainKey(k string) bool {
	if k == "" {
		return false
	}
	for _, r := range k {
		if r != '_' && r != '-' && r != '$' && (r < '0' || r > '9') && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}

// ParsePath is the inverse of Path.String. It also accepts the forms policies
// and the API server write: a leading dot, and [N] or ["key"] or ['key'].
func ParsePath(s string) (Path, error) {
	var p Path
	i := 0
	for i < len(s) {
		switch s[i] {
		case '.':
			i++
		case '[':
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("parse path %q: unclosed [ at offset %d", s, i)
			}
			inner := s[i+1 : i+end]
			if len(inner) >= 2 && (inner[0] == '"' || inner[0] == '\'') {
				// A quoted key may itself contain ']'; find the closing quote.
				q := inner[0]
				closeAt := strings.IndexByte(s[i+2:], q)
				if closeAt < 0 {
					return nil, fmt.Errorf("parse path %q: unclosed quote at offset %d", s, i+1)
				}
				raw := s[i+1 : i+2+closeAt+1]
				if q == '\'' {
					raw = `"` + strings.ReplaceAll(raw[1:len(raw)-1], `"`, `\"`) + `"`
				}
				key, err := strconv.Unquote(raw)
				if err != nil {
					return nil, fmt.Errorf("parse path %q: key at offset %d: %w", s, i+1, err)
				}
				p = append(p, PathElem{Key: key})
				i += 2 + closeAt + 1
				if i >= len(s) || s[i] != ']' {
					return nil, fmt.Errorf("parse path %q: want ] at offset %d", s, i)
				}
				i++
				continue
			}
			n, err := strconv.Atoi(inner)
			if err != nil || n < 0 {
				return nil, fmt.Errorf("parse path %q: index %q at offset %d is not a non-negative integer", s, inner, i)
			}
			p = append(p, PathElem{Index: n, IsIndex: true})
			i += end + 1
		default:
			j := i
			for j < len(s) && s[j] != '.' && s[j] != '[' {
				j++
			}
			p = append(p, PathElem{Key: s[i:j]})
			i = j
		}
	}
	return p, nil
}
