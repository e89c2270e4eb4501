package rules

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Helpers that let a rule ported from Rego word its messages exactly as the
// policy's sprintf did, whatever type the value had in the manifest (a
// container named 5, an image written as null): the schema rule reports the
// wrong type, and the ported rule's message must not change because of it.

// regoArg returns the argument OPA's sprintf hands Go's fmt for the raw
// value v: a string as is; a number as an int64 when OPA prints it without
// a fraction or an exponent, else as a float64; anything else (null, a
// boolean, a list, a mapping) as the text Rego prints for it. The same verb
// then gives the same text: %q of 5 is '\x05' in both, %q of null is
// "null".
func regoArg(v any) any {
	switch t := v.(type) {
	case string:
		return t
	case int64:
		return t
	case int:
		return int64(t)
	case float64:
		// OPA holds the number as strconv's shortest 'g' text and decides
		// on that text.
		s := strconv.FormatFloat(t, 'g', -1, 64)
		if strings.ContainsAny(s, ".eE") {
			return t
		}
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return n
		}
		return s
	}
	return string(appendRegoText(nil, v))
}

// containerNameArg is the lib's container_name as a sprintf argument: the
// name the container has (even null), or "(unnamed)" when it has none.
func containerNameArg(c podContainer) any {
	v, ok := c.M["name"]
	if !ok {
		return "(unnamed)"
	}
	return regoArg(v)
}

// appendRegoText appends the text Rego prints for the raw value v: JSON-like,
// with ", " and ": " separators and mapping keys in order.
func appendRegoText(buf []byte, v any) []byte {
	switch t := v.(type) {
	case nil:
		return append(buf, "null"...)
	case bool:
		return strconv.AppendBool(buf, t)
	case string:
		return strconv.AppendQuote(buf, t)
	case int64:
		return strconv.AppendInt(buf, t, 10)
	case int:
		return strconv.AppendInt(buf, int64(t), 10)
	case float64:
		return strconv.AppendFloat(buf, t, 'g', -1, 64)
	case []any:
		buf = append(buf, '[')
		for i, e := range t {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = appendRegoText(buf, e)
		}
		return append(buf, ']')
	case map[string]any:
		buf = append(buf, '{')
		for i, k := range slices.Sorted(maps.Keys(t)) {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			buf = strconv.AppendQuote(buf, k)
			buf = append(buf, ": "...)
			buf = appendRegoText(buf, t[k])
		}
		return append(buf, '}')
	}
	// obj.Raw holds only JSON types; anything else is printed as Go would.
	return fmt.Append(buf, v)
}
