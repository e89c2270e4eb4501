package manifest

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync/atomic"

	yaml "go.yaml.in/yaml/v3"
)

// nodeError is a problem at one node; the parser adds the file name.
type nodeError struct {
	line, column int
	msg          string
}

func (e *nodeError) Error() string { return e.msg }

func errAt(n *yaml.Node, format string, args ...any) *nodeError {
	return &nodeError{line: n.Line, column: n.Column, msg: fmt.Sprintf(format, args...)}
}

// converter turns a node tree into JSON-compatible Go values, enforcing the
// depth and alias-expansion limits and rejecting duplicate keys, which the
// YAML spec forbids and which kubectl rejects.
type converter struct {
	// lineOffset turns chunk lines into file lines in messages.
	lineOffset int
	maxDepth   int
	// maxAliasNodes is the budget's starting value, for messages.
	maxAliasNodes int
	// budget is how many nodes alias expansion may still add, shared by
	// every document of a file: a per-document budget would let a file of
	// many tiny documents expand without bound.
	budget  *atomic.Int64
	inAlias int // > 0 while expanding an alias
	// aliasAt is the outermost alias being expanded: where an expansion
	// that runs out of budget is reported.
	aliasAt *yaml.Node
}

func (c *converter) value(n *yaml.Node, depth int) (any, error) {
	if depth > c.maxDepth {
		return nil, errAt(n, "nesting deeper than %d levels", c.maxDepth)
	}
	if c.inAlias > 0 {
		if c.budget.Add(-1) < 0 {
			return nil, errAt(c.aliasAt, "aliases expand to more than %d nodes (a \"billion laughs\" document?)", c.maxAliasNodes)
		}
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return resolveScalar(n)
	case yaml.MappingNode:
		return c.mapping(n, depth)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, item := range n.Content {
			v, err := c.value(item, depth+1)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, errAt(n, "unknown anchor %q", n.Value)
		}
		if c.inAlias == 0 {
			c.aliasAt = n
		}
		c.inAlias++
		defer func() { c.inAlias-- }()
		return c.value(n.Alias, depth)
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return c.value(n.Content[0], depth)
	default:
		return nil, errAt(n, "unexpected YAML node kind %d", n.Kind)
	}
}

func (c *converter) mapping(n *yaml.Node, depth int) (map[string]any, error) {
	out := make(map[string]any, len(n.Content)/2)
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" || k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style == 0 && k.Tag != "!!str" {
			merges = append(merges, v)
			continue
		}
		key, err := keyString(k)
		if err != nil {
			return nil, err
		}
		if _, dup := out[key]; dup && c.inAlias == 0 {
			return nil, errAt(k, "duplicate key %q (first defined at line %d)", key, firstKeyLine(n, key)+c.lineOffset)
		}
		val, err := c.value(v, depth+1)
		if err != nil {
			return nil, err
		}
		out[key] = val
	}
	// Merge keys (<<: *base) add the keys the mapping does not set itself,
	// as YAML 1.1 and kubectl's parser do.
	for _, m := range merges {
		sources := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			sources = m.Content
		}
		for _, src := range sources {
			v, err := c.value(src, depth)
			if err != nil {
				return nil, err
			}
			mm, ok := v.(map[string]any)
			if !ok {
				return nil, errAt(src, "merge key << needs a mapping or a list of mappings")
			}
			for k, val := range mm {
				if _, set := out[k]; !set {
					out[k] = val
				}
			}
		}
	}
	return out, nil
}

// firstKeyLine finds where a duplicated key first appears; it runs only on
// the error path, so the common path needs no index of key nodes.
func firstKeyLine(n *yaml.Node, key string) int {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k, err := keyString(n.Content[i]); err == nil && k == key {
			return n.Content[i].Line
		}
	}
	return n.Line
}

func keyString(k *yaml.Node) (string, error) {
	if k.Kind == yaml.AliasNode && k.Alias != nil {
		k = k.Alias
	}
	if k.Kind != yaml.ScalarNode {
		return "", errAt(k, "mapping key is a %s; keys must be strings", kindName(k.Kind))
	}
	v, err := resolveScalar(k)
	if err != nil {
		return "", err
	}
	switch t := v.(type) {
	case string:
		return t, nil
	case nil:
		// sigs.k8s.io/yaml turns a null key into "null".
		return "null", nil
	default:
		// An unquoted number or boolean as a key becomes its text, as in
		// kubectl (sigs.k8s.io/yaml converts keys to JSON strings).
		return k.Value, nil
	}
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "sequence"
	case yaml.ScalarNode:
		return "scalar"
	case yaml.AliasNode:
		return "alias"
	case yaml.DocumentNode:
		return "document"
	default:
		return "node"
	}
}

// yaml11Bools are the plain scalars YAML 1.1 (and so kubectl's
// sigs.k8s.io/yaml, built on goyaml.v2) reads as booleans. `value: on` in an
// env var reaches the API server as true and is rejected there.
var yaml11Bools = map[string]bool{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true,
	"true": true, "True": true, "TRUE": true, "on": true, "On": true, "ON": true,
	"n": false, "N": false, "no": false, "No": false, "NO": false,
	"false": false, "False": false, "FALSE": false, "off": false, "Off": false, "OFF": false,
}

var errNotNumber = errors.New("not a number")

// resolveScalar gives a scalar its JSON value following goyaml.v2's
// resolution rules for plain scalars; quoted scalars are strings, explicit
// tags are honoured.
func resolveScalar(n *yaml.Node) (any, error) {
	s := n.Value
	// goyaml.v3 fills Tag with its own YAML 1.2 resolution of plain
	// scalars; only TaggedStyle says the tag was written in the file.
	explicit := n.Style&yaml.TaggedStyle != 0
	tag := n.Tag
	if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		if !explicit || tag == "!!str" || tag == "!" {
			return s, nil
		}
	}
	if !explicit {
		return resolvePlain(s), nil
	}
	switch tag {
	case "!!str", "!!binary", "!!timestamp":
		return s, nil
	case "!!null":
		return nil, nil
	case "!!bool":
		if b, ok := yaml11Bools[s]; ok {
			return b, nil
		}
		return nil, errAt(n, "%q is not a boolean", s)
	case "!!int":
		if v, err := parseInt(s); err == nil {
			return v, nil
		}
		return nil, errAt(n, "%q is not an integer", s)
	case "!!float":
		if v, err := parseFloat(s); err == nil {
			return v, nil
		}
		return nil, errAt(n, "%q is not a number", s)
	}
	// "!" and custom tags (!Ref, say) mean nothing to Kubernetes; keep the
	// text.
	return s, nil
}

func resolvePlain(s string) any {
	switch s {
	case "", "~", "null", "Null", "NULL":
		return nil
	}
	c := s[0]
	// Only short words starting with these letters can be booleans; the
	// test spares a map lookup for nearly every scalar.
	if len(s) <= 5 && strings.IndexByte("yYnNtTfFoO", c) >= 0 {
		if b, ok := yaml11Bools[s]; ok {
			return b
		}
	}
	if (c < '0' || c > '9') && c != '-' && c != '+' && c != '.' {
		return s
	}
	if v, err := parseInt(s); err == nil {
		return v
	}
	if v, err := parseFloat(s); err == nil {
		return v
	}
	return s
}

func parseInt(s string) (any, error) {
	// Quantities such as 100m and 128Mi start like numbers; rejecting
	// them here spares two strconv errors (allocations) per scalar.
	if !looksInt(s) {
		return nil, errNotNumber
	}
	plain := strings.ReplaceAll(s, "_", "")
	if v, err := strconv.ParseInt(plain, 0, 64); err == nil {
		return v, nil
	}
	if strings.HasPrefix(plain, "0b") || strings.HasPrefix(plain, "-0b") {
		return nil, errNotNumber
	}
	if v, err := strconv.ParseUint(plain, 0, 64); err == nil {
		// Beyond int64: JSON has only one number type; keep it as a float
		// as a JSON decoder would.
		return float64(v), nil
	}
	return nil, errNotNumber
}

// looksInt reports whether s can be an integer in strconv.ParseInt's base-0
// syntax: an optional sign, then decimal digits, or 0x, 0o or 0b and the
// digits of that base, with underscores anywhere.
func looksInt(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	if s == "" {
		return false
	}
	digit := func(c byte) bool { return c >= '0' && c <= '9' }
	if len(s) > 2 && s[0] == '0' {
		switch s[1] {
		case 'x', 'X':
			digit = func(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
			s = s[2:]
		case 'o', 'O':
			digit = func(c byte) bool { return c >= '0' && c <= '7' }
			s = s[2:]
		case 'b', 'B':
			digit = func(c byte) bool { return c == '0' || c == '1' }
			s = s[2:]
		}
	}
	for i := 0; i < len(s); i++ {
		if !digit(s[i]) && s[i] != '_' {
			return false
		}
	}
	return true
}

// parseFloat accepts goyaml.v2's float syntax: decimal with optional
// exponent. Infinities and NaN have no JSON form, so they stay strings, and
// the schema check reports them where a number is required.
func parseFloat(s string) (any, error) {
	plain := strings.ReplaceAll(s, "_", "")
	if !looksFloat(plain) {
		return nil, errNotNumber
	}
	f, err := strconv.ParseFloat(plain, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, errNotNumber
	}
	return f, nil
}

// looksFloat matches ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
// without a regexp, since it runs on every scalar.
func looksFloat(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	} else {
		if digits() == 0 {
			return false
		}
		if i < len(s) && s[i] == '.' {
			i++
			digits()
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
