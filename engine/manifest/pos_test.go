package manifest

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/kubegate/kubegate/engine"
)

func regionString(r engine.Region) string {
	return fmt.Sprintf("%d:%d-%d:%d", r.Line, r.Column, r.EndLine, r.EndColumn)
}

// TestRegions pins where fields start and end, through both parsers: the
// fast one where it takes the document (fast says it must) and goyaml's
// node path always.
func TestRegions(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		path  string
		want  string
		exact bool
		fast  bool
	}{
		{name: "whole document", in: "a: 1\nb:\n  c: 2\n", path: "", want: "1:1-3:7", exact: true, fast: true},
		{name: "plain scalar without its comment", in: "a: 1\nb: hello world  # c\n", path: "b", want: "2:1-2:15", exact: true, fast: true},
		{name: "key without a value ends after its colon", in: "a:\nb: 1\n", path: "a", want: "1:1-1:3", exact: true, fast: true},
		{name: "key with only a comment", in: "a:   # c\nb: 1\n", path: "a", want: "1:1-1:3", exact: true, fast: true},
		{name: "block mapping ends with its last line", in: "a:\n  b: 1\n  c:\n    d: xy # z\ne: 1\n", path: "a", want: "1:1-4:10", exact: true, fast: true},
		{name: "nested key", in: "a:\n  b: 1\n  c:\n    d: xy # z\ne: 1\n", path: "a.c", want: "3:3-4:10", exact: true, fast: true},
		{name: "comment lines after a block are not in it", in: "a:\n  b: 1\n  # trailing\n\nc: 2\n", path: "a", want: "1:1-2:7", exact: true, fast: true},
		{name: "value on the next line", in: "a:\n  x\nb: 1\n", path: "a", want: "1:1-2:4", exact: true, fast: true},
		{name: "block sequence", in: "a:\n- x: 1\n  y: two\n- z\n", path: "a", want: "1:1-4:4", exact: true, fast: true},
		{name: "mapping item", in: "a:\n- x: 1\n  y: two\n- z\n", path: "a[0]", want: "2:3-3:9", exact: true, fast: true},
		{name: "scalar item", in: "a:\n- x: 1\n  y: two\n- z\n", path: "a[1]", want: "4:3-4:4", exact: true, fast: true},
		{name: "nested sequence item", in: "a:\n  - - 1\n    - 2\n  - []\n", path: "a[0]", want: "2:5-3:8", exact: true, fast: true},
		{name: "flow sequence", in: "a: [1, \"two\", 'th''ree']  # c\n", path: "a", want: "1:1-1:25", exact: true, fast: true},
		{name: "flow sequence item", in: "a: [1, \"two\", 'th''ree']  # c\n", path: "a[2]", want: "1:15-1:24", exact: true, fast: true},
		{name: "plain flow item", in: "a: [x y , z]\n", path: "a[0]", want: "1:5-1:8", exact: true, fast: true},
		{name: "empty flow sequence", in: "a: [ ]\n", path: "a", want: "1:1-1:7", exact: true, fast: true},
		{name: "empty flow mapping", in: "a: {}\n", path: "a", want: "1:1-1:6", exact: true, fast: true},
		{name: "flow mapping", in: "a: {b: 1, c: [x, y]}  # c\n", path: "a", want: "1:1-1:21", exact: true},
		{name: "flow mapping key", in: "a: {b: 1, c: [x, y]}  # c\n", path: "a.b", want: "1:5-1:9", exact: true},
		{name: "flow mapping nested", in: "a: {b: 1, c: [x, y]}  # c\n", path: "a.c", want: "1:11-1:20", exact: true},
		{name: "flow mapping empty value", in: "a: {b: , c}\n", path: "a.b", want: "1:5-1:7", exact: true},
		{name: "flow mapping key without colon", in: "a: {b: , c}\n", path: "a", want: "1:1-1:12", exact: true},
		{name: "flow mapping over lines", in: "a: {\n  b: 1,  # one\n  c: 2,\n}\nd: 1\n", path: "a", want: "1:1-4:2", exact: true},
		{name: "double quoted with colon and hash", in: "a: \"x: #y\" # c\n", path: "a", want: "1:1-1:11", exact: true, fast: true},
		{name: "double quoted escape", in: "a: \"x\\\"y\" # c\n", path: "a", want: "1:1-1:10", exact: true},
		{name: "double quoted over lines", in: "a: \"x\n  y\"\nb: 1\n", path: "a", want: "1:1-2:5", exact: true},
		{name: "single quoted over lines", in: "a: 'x\n\n  ''y'''\nb: 1\n", path: "a", want: "1:1-3:9", exact: true},
		{name: "multi-line plain", in: "a: x\n  y  z\n\n  w\nb: 1\n", path: "a", want: "1:1-4:4", exact: true},
		{name: "literal", in: "a: |\n  line 1\n  # not a comment\n\n  last  \n\nb: 1\n", path: "a", want: "1:1-5:9", exact: true, fast: true},
		{name: "literal stripped", in: "a: |-\n    x\n      y\nc: 1\n", path: "a", want: "1:1-3:8", exact: true, fast: true},
		{name: "empty literal ends after its header", in: "a: |\nb: 1\n", path: "a", want: "1:1-1:5", exact: true, fast: true},
		{name: "empty stripped literal", in: "a: |- # c\nb: 1\n", path: "a", want: "1:1-1:6", exact: true, fast: true},
		{name: "literal item", in: "a:\n- |\n  x\n- y\n", path: "a[0]", want: "2:3-3:4", exact: true, fast: true},
		{name: "literal at the end of a sequence", in: "a:\n- |\n  x\n\n", path: "a", want: "1:1-3:4", exact: true, fast: true},
		{name: "kept literal", in: "a: |+\n  x\n\nb: 1\n", path: "a", want: "1:1-2:4", exact: true},
		{name: "folded with indentation indicator", in: "a:\n  b: >2-\n      x\n    y\n  c: 1\n", path: "a.b", want: "2:3-4:6", exact: true},
		{name: "folded with comment lines after", in: "a: >\n  x\n  y\n# done\nb: 1\n", path: "a", want: "1:1-3:4", exact: true},
		{name: "literal without a final newline", in: "a: |\n  x", path: "a", want: "1:1-2:4", exact: true},
		{name: "tagged scalar", in: "a: !!str 1 # c\n", path: "a", want: "1:1-1:11", exact: true},
		{name: "anchored mapping", in: "a: &x {b: 1}\nc: *x\nd: &y v\n", path: "a", want: "1:1-1:13", exact: true},
		{name: "alias ends at its name", in: "a: &x {b: 1}\nc: *x\nd: &y v\n", path: "c", want: "2:1-2:6", exact: true},
		{name: "through an alias to its anchor", in: "a: &x {b: 1}\nc: *x\nd: &y v\n", path: "c.b", want: "1:8-1:12", exact: true},
		{name: "anchored scalar", in: "a: &x {b: 1}\nc: *x\nd: &y v\n", path: "d", want: "3:1-3:8", exact: true},
		{name: "anchor on an empty value", in: "a: &x\nb: 1\n", path: "a", want: "1:1-1:6", exact: true},
		{name: "empty item", in: "a:\n-\n- x\n", path: "a[0]", want: "2:2-2:2", exact: true},
		{name: "sequence with an empty item", in: "a:\n- x\n-\n", path: "a", want: "1:1-3:2", exact: true},
		{name: "indentless sequence", in: "a:\n- x\nb: 1\n", path: "a", want: "1:1-2:4", exact: true, fast: true},
		{name: "unicode columns", in: "a: [\"ü\", b]\nb:\n- é # c\n", path: "b", want: "2:1-3:4", exact: true, fast: true},
		{name: "unicode flow item", in: "a: [\"ü\", b]\nb:\n- é # c\n", path: "a[0]", want: "1:5-1:8", exact: true, fast: true},
		{name: "JSON", in: "{\"kind\": \"x\", \"data\": {\"k\": [1, 2]}}\n", path: "data", want: "1:15-1:36", exact: true},
		{name: "JSON item", in: "{\"kind\": \"x\", \"data\": {\"k\": [1, 2]}}\n", path: "data.k[1]", want: "1:33-1:34", exact: true},
		{name: "JSON over lines", in: "{\n  \"a\": {\n    \"b\": true\n  },\n  \"c\": null\n}\n", path: "a", want: "2:3-4:4", exact: true},
		{name: "JSON document", in: "{\n  \"a\": {\n    \"b\": true\n  },\n  \"c\": null\n}\n", path: "", want: "1:1-6:2", exact: true},
		{name: "CRLF", in: "a: 1\r\nb:\r\n  c: x  \r\n", path: "b", want: "2:1-3:7", exact: true},
		{name: "CRLF literal", in: "a: |\r\n  x y\r\n\r\nb: 1\r\n", path: "a", want: "1:1-2:6", exact: true},
		{name: "lone CR breaks lines as in goyaml", in: "a: 1\rb:\r  c: x  \r", path: "b", want: "2:1-3:7", exact: true},
		{name: "lone CR literal", in: "a: |\r  x\r  yz\rb: 1\r", path: "a", want: "1:1-3:5", exact: true},
		{name: "lone CR before the first key", in: "\r0:\r    \r", path: "0", want: "2:1-2:3", exact: true},
		{name: "NEL breaks lines", in: "a: |\u0085  x\u0085b: 1\u0085", path: "b", want: "3:1-3:5", exact: true},
		{name: "LS and PS break lines", in: "a:\u2028  b: 2\u2029c: [1,\u2028 22]\n", path: "c[1]", want: "4:2-4:4", exact: true},
		{name: "missing key: the parent", in: "a:\n  b: 1\nc: 2\n", path: "a.x", want: "1:1-2:7", exact: false, fast: true},
		{name: "missing index: the sequence's key", in: "a:\n- 1\n", path: "a[3]", want: "1:1-2:4", exact: false, fast: true},
		{name: "below a scalar: the scalar's key", in: "a: 1\n", path: "a.b", want: "1:1-1:5", exact: false, fast: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, err := engine.ParsePath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			check := func(parser string, root *posNode) {
				t.Helper()
				r, exact := (&posLocator{root: root}).LocateRegion(path)
				if got := regionString(r); got != tt.want || exact != tt.exact {
					t.Errorf("%s: LocateRegion(%q) = %s (exact %v), want %s (exact %v)\n%s", parser, tt.path, got, exact, tt.want, tt.exact, dumpPos(root))
				}
			}
			_, fast, ok := fastParse([]byte(tt.in), DefaultLimits().MaxDepth)
			if ok != tt.fast {
				t.Fatalf("fast parser took it: %v, want %v", ok, tt.fast)
			}
			if ok {
				check("fast parser", fast)
			}
			var budget atomic.Int64
			budget.Store(int64(DefaultLimits().MaxAliasNodes))
			_, slow, ferr := NewParser(DefaultLimits()).slowDocument(docContext{file: "f.yaml"}, []byte(tt.in), &budget)
			if ferr != nil {
				t.Fatal(ferr)
			}
			check("goyaml", slow)
		})
	}
}

// TestLocationEnds checks that objects report ends in file lines, for a
// document that does not start the file.
func TestLocationEnds(t *testing.T) {
	in := "apiVersion: v1\nkind: ConfigMap\n---\n# c\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: |\n    v\n"
	objs, errs := NewParser(DefaultLimits()).Parse("f.yaml", []byte(in))
	if len(errs) > 0 || len(objs) != 2 {
		t.Fatalf("objects %d, errors %v", len(objs), errs)
	}
	tests := []struct {
		path string
		want engine.Location
	}{
		{path: "", want: engine.Location{File: "f.yaml", Line: 5, Column: 1, EndLine: 11, EndColumn: 6}},
		{path: "metadata.name", want: engine.Location{File: "f.yaml", Line: 8, Column: 3, EndLine: 8, EndColumn: 10}},
		{path: "data.k", want: engine.Location{File: "f.yaml", Line: 10, Column: 3, EndLine: 11, EndColumn: 6}},
		{path: "metadata.namespace", want: engine.Location{File: "f.yaml", Line: 7, Column: 1, EndLine: 8, EndColumn: 10}},
	}
	for _, tt := range tests {
		p, err := engine.ParsePath(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := objs[1].Locate(p); got != tt.want {
			t.Errorf("Locate(%q) = %+v, want %+v", tt.path, got, tt.want)
		}
	}
}
