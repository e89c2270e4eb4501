package manifest

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/kubegate/kubegate/engine/internal/benchcorpus"
)

// fastAgrees checks the fast parser against goyaml on one document:
// whenever the fast parser accepts it, goyaml must read the same values
// with the same positions.
func fastAgrees(t *testing.T, name string, data []byte) (taken bool) {
	t.Helper()
	raw, pos, ok := fastParse(data, DefaultLimits().MaxDepth)
	if !ok {
		return false
	}
	p := NewParser(DefaultLimits())
	var budget atomic.Int64
	budget.Store(int64(DefaultLimits().MaxAliasNodes))
	wantRaw, wantPos, ferr := p.slowDocument(docContext{file: name}, data, &budget)
	if ferr != nil {
		t.Fatalf("%s: fast parser accepts what goyaml rejects (%v):\n%s", name, ferr, data)
	}
	if !reflect.DeepEqual(raw, wantRaw) {
		t.Fatalf("%s: values differ:\n%s\nfast:   %#v\ngoyaml: %#v", name, data, raw, wantRaw)
	}
	if got, want := dumpPos(pos), dumpPos(wantPos); got != want {
		t.Fatalf("%s: positions differ:\n%s\nfast:\n%s\ngoyaml:\n%s", name, data, got, want)
	}
	return true
}

// dumpPos renders a position tree as one line per key and item, each with
// its span.
func dumpPos(n *posNode) string {
	var b strings.Builder
	var walk func(n *posNode, prefix string)
	walk = func(n *posNode, prefix string) {
		if n == nil {
			return
		}
		fmt.Fprintf(&b, "%s @%s\n", prefix, spanString(n.span))
		for _, k := range n.keys {
			fmt.Fprintf(&b, "%s.%s key @%s\n", prefix, k.name, spanString(k.span))
			walk(k.val, prefix+"."+k.name)
		}
		for i, it := range n.items {
			fmt.Fprintf(&b, "%s[%d] item @%s\n", prefix, i, spanString(it.span))
			walk(it.node, fmt.Sprintf("%s[%d]", prefix, i))
		}
	}
	walk(n, "")
	return b.String()
}

// spansOrdered checks that every span of the goyaml path's position tree
// of data (when goyaml reads it) ends at or after its start: the source
// scanner that finds ends must never run backwards, whatever the input.
func spansOrdered(t *testing.T, name string, data []byte) {
	t.Helper()
	var budget atomic.Int64
	budget.Store(int64(DefaultLimits().MaxAliasNodes))
	_, root, ferr := NewParser(DefaultLimits()).slowDocument(docContext{file: name}, data, &budget)
	if ferr != nil || root == nil {
		return
	}
	seen := map[*posNode]bool{}
	var walk func(n *posNode)
	bad := func(s span) bool {
		return s.endLine < s.line || s.endLine == s.line && s.endCol < s.col || s.line < 1 || s.col < 1
	}
	walk = func(n *posNode) {
		if n == nil || seen[n] {
			return
		}
		seen[n] = true
		if bad(n.span) {
			t.Fatalf("%s: node span %s ends before it starts:\n%s", name, spanString(n.span), data)
		}
		for _, k := range n.keys {
			if bad(k.span) {
				t.Fatalf("%s: key %q span %s ends before it starts:\n%s", name, k.name, spanString(k.span), data)
			}
			walk(k.val)
		}
		for i, it := range n.items {
			if bad(it.span) {
				t.Fatalf("%s: item %d span %s ends before it starts:\n%s", name, i, spanString(it.span), data)
			}
			walk(it.node)
		}
	}
	walk(root)
}

func spanString(s span) string {
	return fmt.Sprintf("%d:%d-%d:%d", s.line, s.col, s.endLine, s.endCol)
}

// testDocuments are the documents of every YAML file of the repository's
// test data and a generated corpus.
func testDocuments(t testing.TB) map[string][]byte {
	t.Helper()
	docs := map[string][]byte{}
	var files []string
	for _, g := range []string{"../../testdata/*/*.yaml", "../../testdata/*/*/*.yaml", "../../testdata/*/*/*/*.yaml", "testdata/*.yaml", "../../cmd/kubegate/internal/cli/testdata/*/*.yaml"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range split(b) {
			docs[fmt.Sprintf("%s#%d", f, i)] = c.data
		}
	}
	for i, c := range split(benchcorpus.Generate(600, 1)) {
		docs[fmt.Sprintf("corpus#%d", i)] = c.data
	}
	return docs
}

func TestFastParserAgreesWithGoyaml(t *testing.T) {
	docs := testDocuments(t)
	taken := 0
	for name, data := range docs {
		if fastAgrees(t, name, data) {
			taken++
		}
		spansOrdered(t, name, data)
	}
	// The fast parser is only worth having if it reads most manifests.
	if taken < len(docs)*8/10 {
		t.Errorf("fast parser read %d of %d documents; want at least 80%%", taken, len(docs))
	}
	t.Logf("fast parser read %d of %d documents", taken, len(docs))
}

func TestFastParserCases(t *testing.T) {
	tests := []struct {
		name string
		in   string
		fast bool // whether the fast parser should take it
	}{
		{name: "nested", in: "a:\n  b:\n    c: 1\n  d: x\ne: [1, \"two\", 'th''ree']\n", fast: true},
		{name: "indentless sequence", in: "a:\n- x: 1\n  y: 2\n- z\nb: {}\n", fast: true},
		{name: "compact nested sequence", in: "a:\n  - - 1\n    - 2\n  - []\n", fast: true},
		{name: "literal", in: "a: |\n  line 1\n  # not a comment\n\n  line 3\n\nb: |-\n    x\n      y\nc: 1\n", fast: true},
		{name: "literal in item", in: "a:\n- |\n  x\n- y\n", fast: true},
		{name: "empty literal", in: "a: |\nb: 1\n", fast: true},
		{name: "comments", in: "# head\na: 1 # one\n  # odd indent\nb: 'x # y' # z\nc: d#e\n", fast: true},
		{name: "null key and values", in: "~: 1\nb:\nc: null\nd: ~\n", fast: true},
		{name: "yaml 1.1 scalars", in: "a: yes\nb: off\nc: 0x1F\nd: 1e3\ne: 010\nf: .5\ng: 1_000\nh: 500m\ni: 2024-01-02\n", fast: true},
		{name: "unicode columns", in: "a: [\"ü\", b]\nb:\n- é\n", fast: true},
		{name: "quoted keys", in: "\"a b\": 1\n'c': 2\n", fast: true},
		{name: "url values", in: "a: http://x:80/y\nb: C:\\\\x\n", fast: true},
		{name: "anchor", in: "a: &x 1\nb: *x\n"},
		{name: "merge", in: "a: {x: 1}\nb:\n  <<: {y: 2}\n"},
		{name: "tag", in: "a: !!str 1\n"},
		{name: "folded", in: "a: >\n  x\n  y\n"},
		{name: "keep", in: "a: |+\n  x\n\n"},
		{name: "multi-line plain", in: "a: x\n  y\n"},
		{name: "escape", in: "a: \"x\\ty\"\n"},
		{name: "flow mapping", in: "a: {b: 1}\n"},
		{name: "duplicate key", in: "a: 1\na: 2\n"},
		{name: "tab", in: "a:\t1\n"},
		{name: "crlf", in: "a: 1\r\nb: 2\r\n"},
		{name: "lone cr", in: "a: 1\rb: 2\r"},
		{name: "line separator", in: "a: x\u2028y\n"},
		{name: "paragraph separator", in: "a: 1 \u2029\n"},
		{name: "bad indentation", in: "a:\n  b: 1\n c: 2\n"},
		{name: "colon in value", in: "a: b: c\n"},
		{name: "empty item", in: "a:\n-\n- x\n"},
		{name: "scalar document", in: "just text\n"},
		{name: "literal at end without newline", in: "a: |\n  x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fastAgrees(t, tt.name, []byte(tt.in)); got != tt.fast {
				t.Errorf("fast parser took it: %v, want %v", got, tt.fast)
			}
			spansOrdered(t, tt.name, []byte(tt.in))
		})
	}
}

// FuzzFastParser holds the fast parser to goyaml on mutated manifests.
func FuzzFastParser(f *testing.F) {
	for _, data := range testDocuments(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !utf8.Valid(data) {
			return // Parse rejects invalid UTF-8 before any parser sees it
		}
		fastAgrees(t, "fuzz", data)
		spansOrdered(t, "fuzz", data)
	})
}
