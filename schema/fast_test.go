package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// TestFastPathNeverSaysYesWrongly checks the fast path against the full
// validator on every built-in object of the test data and on thousands of
// mutations of them: whenever the fast path says valid, the full validator
// must agree. (The other way round is allowed: doubt falls back.)
func TestFastPathNeverSaysYesWrongly(t *testing.T) {
	reg, err := New(Latest())
	if err != nil {
		t.Fatal(err)
	}
	objs := testObjects(t)
	rng := rand.New(rand.NewPCG(1, 2))
	var checked, fast, fastValid int
	for _, o := range objs {
		apiVersion, _ := o["apiVersion"].(string)
		kind, _ := o["kind"].(string)
		c, ok := reg.builtin(apiVersion, kind)
		if !ok || c.err != nil {
			continue
		}
		for i := range 200 {
			v := o
			if i > 0 {
				v = mutate(rng, deepCopy(o).(map[string]any))
			}
			clean := dropNulls(v)
			schema, err := c.full()
			if err != nil {
				t.Fatal(err)
			}
			full := schema.Validate(clean) == nil
			quick := c.fast.ok(v)
			checked++
			if quick {
				fast++
			}
			if full {
				fastValid++
			}
			if quick && !full {
				b, _ := json.Marshal(v)
				t.Fatalf("fast path accepts what the validator rejects (%s %s):\n%s\nvalidator: %v", apiVersion, kind, b, schema.Validate(clean))
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d objects checked", checked)
	}
	// The fast path is only worth having if valid objects take it.
	if fast < fastValid*9/10 {
		t.Errorf("fast path took %d of %d valid objects; want at least 90%%", fast, fastValid)
	}
	t.Logf("%d objects, %d valid, %d through the fast path", checked, fastValid, fast)
}

// TestCheckSaysWhatTheValidatorSays compares the fast path's errors with
// the full validator's, explained the same way, on the test data and
// mutations of it: the same paths, types and messages.
func TestCheckSaysWhatTheValidatorSays(t *testing.T) {
	reg, err := New(Latest())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var compared, withErrors int
	for _, o := range testObjects(t) {
		apiVersion, _ := o["apiVersion"].(string)
		kind, _ := o["kind"].(string)
		c, ok := reg.builtin(apiVersion, kind)
		if !ok || c.err != nil {
			continue
		}
		schema, err := c.full()
		if err != nil {
			t.Fatal(err)
		}
		for range 100 {
			v := dropNulls(mutate(rng, mutate(rng, deepCopy(o).(map[string]any))))
			var got []Error
			if !c.fast.check(v, nil, &got) {
				t.Fatalf("%s %s: fast path does not support a built-in schema node", apiVersion, kind)
			}
			got = dedupErrors(got)
			want := explain(schema.Validate(v), c.doc, v)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				b, _ := json.Marshal(v)
				t.Fatalf("%s %s: errors differ for\n%s\nfast: %v\nfull: %v", apiVersion, kind, b, got, want)
			}
			compared++
			if len(want) > 0 {
				withErrors++
			}
		}
	}
	if withErrors < 1000 {
		t.Fatalf("only %d of %d objects had errors", withErrors, compared)
	}
	t.Logf("%d objects compared, %d with errors", compared, withErrors)
}

// TestEveryBuiltinSchemaIsFast checks that the fast path knows every
// keyword of every embedded schema, so that no built-in kind needs the
// full validator compiled.
func TestEveryBuiltinSchemaIsFast(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes every embedded schema")
	}
	for _, v := range Versions() {
		reg, err := New(v)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range reg.AllKinds() {
			apiVersion, kind, _ := strings.Cut(k, " ")
			c, _ := reg.builtin(apiVersion, kind)
			if c.err != nil {
				t.Fatalf("%s %s: %v", v, k, c.err)
			}
			if n := c.fast.unsupportedNodes(map[*fastNode]bool{}); n > 0 {
				t.Errorf("%s %s: %d schema nodes the fast path does not support", v, k, n)
			}
		}
	}
}

func (n *fastNode) unsupportedNodes(seen map[*fastNode]bool) int {
	if n == nil || seen[n] {
		return 0
	}
	seen[n] = true
	if n.unsupported {
		return 1
	}
	total := n.addl.unsupportedNodes(seen) + n.items.unsupportedNodes(seen)
	for _, p := range n.props {
		total += p.unsupportedNodes(seen)
	}
	return total
}

func testObjects(t *testing.T) []map[string]any {
	t.Helper()
	var files []string
	for _, g := range []string{"../testdata/rules/*/*.yaml", "../testdata/examples/*.yaml"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	var out []map[string]any
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, doc := range strings.Split(string(b), "\n---") {
			j, err := yaml.YAMLToJSON([]byte(doc))
			if err != nil {
				continue
			}
			d := json.NewDecoder(bytes.NewReader(j))
			d.UseNumber()
			var v any
			if d.Decode(&v) != nil {
				continue
			}
			if m, ok := numbers(v).(map[string]any); ok {
				out = append(out, m)
			}
		}
	}
	return out
}

// numbers turns json.Number into int64 or float64, as the manifest parser
// does.
func numbers(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = numbers(e)
		}
	case []any:
		for i, e := range t {
			t[i] = numbers(e)
		}
	case json.Number:
		if n, err := t.Int64(); err == nil {
			return n
		}
		f, _ := t.Float64()
		return f
	}
	return v
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = deepCopy(e)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, e := range t {
			l[i] = deepCopy(e)
		}
		return l
	}
	return v
}

// mutate changes one random place of v: replaces a value with one of
// another type, deletes a key, or adds an unknown one.
func mutate(rng *rand.Rand, v map[string]any) map[string]any {
	var parents []map[string]any
	var walk func(x any)
	walk = func(x any) {
		switch t := x.(type) {
		case map[string]any:
			parents = append(parents, t)
			for _, e := range t {
				walk(e)
			}
		case []any:
			for _, e := range t {
				walk(e)
			}
		}
	}
	walk(v)
	p := parents[rng.IntN(len(parents))]
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	if len(keys) == 0 || rng.IntN(5) == 0 {
		p["zzUnknown"] = "x"
		return v
	}
	k := keys[rng.IntN(len(keys))]
	replacements := []any{nil, "text", "500m", "1.5Gi", int64(7), int64(-1), int64(1) << 40, 1.5, true,
		[]any{"a"}, map[string]any{"x": "y"}, map[string]any{}, []any{}, "2024-01-02T03:04:05Z", "not base64!"}
	switch rng.IntN(4) {
	case 0:
		delete(p, k)
	default:
		p[k] = replacements[rng.IntN(len(replacements))]
	}
	return v
}
