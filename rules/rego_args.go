package rules

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Helpers that let a rule ported from Rego compare values as Rego's
// operators did and word its messages exactly as the policy's sprintf did,
// whatever type the value had in the manifest (a container named 5, an
// image written as null): the schema rule reports the wrong type, and the
// ported rule's findings must not change because of it. Rules ported
// later should use these rather than write their own.

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

// regoTypeRank orders values by type as Rego compares values of different
// types: null < boolean < number < string < array < object.
func regoTypeRank(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case bool:
		return 1
	case int64, float64, int:
		return 2
	case string:
		return 3
	case []any:
		return 4
	}
	return 5
}

// regoCompare compares v with the number n as Rego's < and > do: by type
// rank first, numerically when v is a number.
func regoCompare(v any, n float64) int {
	if r := regoTypeRank(v); r != 2 {
		return r - 2
	}
	x, _ := rawNumber(v)
	switch {
	case x < n:
		return -1
	case x > n:
		return 1
	}
	return 0
}

// regoEqual reports whether two raw values are equal as Rego's == sees
// them: of the same type and value, numbers by their value whether
// written as integers or not.
func regoEqual(a, b any) bool {
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case int64:
		switch y := b.(type) {
		case int64:
			return x == y
		case float64:
			return floatIsInt(y, x)
		}
		return false
	case float64:
		switch y := b.(type) {
		case int64:
			return floatIsInt(x, y)
		case float64:
			return x == y
		}
		return false
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !regoEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !regoEqual(v, w) {
				return false
			}
		}
		return true
	}
	return false
}

// floatIsInt reports whether f is exactly the integer i.
func floatIsInt(f float64, i int64) bool {
	if f != math.Trunc(f) || f < math.MinInt64 || f >= math.MaxInt64 {
		return false
	}
	return int64(f) == i
}

// regoTruthy reports whether the Rego expression m.key holds: the key is
// present and its value is not false (null counts).
func regoTruthy(m map[string]any, key string) bool {
	v, ok := m[key]
	if !ok {
		return false
	}
	b, isBool := v.(bool)
	return !isBool || b
}
