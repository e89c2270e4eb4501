package fix

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	yaml "go.yaml.in/yaml/v3"
)

// parse returns the root mapping of a one-document YAML text.
func parse(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Content[0]
}

func TestScalarSpan(t *testing.T) {
	tests := []struct {
		name string
		src  string // the value of key v
		// want is the content the span covers, "" when none is found.
		want, wantToken string
	}{
		{name: "plain", src: "v: extensions/v1beta1\n", want: "extensions/v1beta1", wantToken: "extensions/v1beta1"},
		{name: "plain with comment", src: "v: IfNotPresent   # why\n", want: "IfNotPresent", wantToken: "IfNotPresent"},
		{name: "plain with colon", src: "v: http://x:80/a#b\n", want: "http://x:80/a#b", wantToken: "http://x:80/a#b"},
		{name: "double quoted", src: `v: "a \"b\" c" # x` + "\n", want: `a \"b\" c`, wantToken: `"a \"b\" c"`},
		{name: "single quoted", src: "v: 'it''s'\n", want: "it''s", wantToken: "'it''s'"},
		{name: "crlf", src: "w: 1\r\nv: Never\r\n", want: "Never", wantToken: "Never"},
		{name: "after multibyte", src: "{é: 1, v: Never}\n", want: "Never", wantToken: "Never"},
		{name: "flow end", src: "{v: Never}\n", want: "Never", wantToken: "Never"},
		{name: "folded over lines", src: "v: a\n  b\n"},
		{name: "literal block", src: "v: |\n  a\n"},
		{name: "tagged", src: "v: !!str 80\n"},
		{name: "quoted over lines", src: "v: \"a\n  b\"\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := parse(t, tt.src)
			tx := newText([]byte(tt.src))
			v := root.Content[len(root.Content)-1]
			sp, ok := tx.scalar(v, root.Style&yaml.FlowStyle != 0)
			if !ok {
				if tt.want != "" {
					t.Fatalf("no span, want %q", tt.want)
				}
				return
			}
			if tt.want == "" {
				t.Fatalf("span %q, want none", tx.b[sp.start:sp.end])
			}
			got, tok := string(tx.b[sp.contentStart:sp.contentEnd]), string(tx.b[sp.start:sp.end])
			if got != tt.want || tok != tt.wantToken {
				t.Errorf("span = %q (token %q), want %q (token %q)", got, tok, tt.want, tt.wantToken)
			}
		})
	}
}

func TestEntryEnd(t *testing.T) {
	src := `spec:
  containers:
  - name: a
    args: |
      one

      two
    # about b
  - name: b
  volumes: []

# trailing
other: 1
`
	tx := newText([]byte(src))
	tests := []struct {
		name      string
		line, col int
		dash      bool
		want      int
	}{
		{name: "block scalar with a blank line inside", line: 4, col: 5, want: 7},
		{name: "non-indented sequence needs the dash rule", line: 2, col: 3, dash: true, want: 9},
		{name: "without it the items are not the entry's", line: 2, col: 3, want: 2},
		{name: "top-level entry stops before blank lines and a column-1 comment", line: 1, col: 1, want: 10},
		{name: "last line", line: 13, col: 1, want: 13},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tx.entryEnd(tt.line, tt.col, tt.dash); got != tt.want {
				t.Errorf("entryEnd(%d, %d) = %d, want %d", tt.line, tt.col, got, tt.want)
			}
		})
	}
}

func TestDocStyle(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want style
	}{
		{name: "kubectl style", src: "a:\n  b:\n    c: 1\n  l:\n    - x\n", want: style{width: 2, seqOffset: 2}},
		{name: "four spaces, flush sequences", src: "a:\n    b:\n        c: 1\n    l:\n    - x\n    m:\n    - y\n", want: style{width: 4, seqOffset: 0}},
		{name: "nothing nested", src: "a: 1\n", want: style{width: 2, seqOffset: 2}},
		{name: "flow values do not count", src: "a: {b: {c: 1}}\nd:\n   e: 1\n", want: style{width: 3, seqOffset: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, docStyle(parse(t, tt.src)), cmp.AllowUnexported(style{})); diff != "" {
				t.Errorf("docStyle (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFlowEnd(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{name: "empty", src: "v: {} # c\n", want: "{}"},
		{name: "nested with quotes", src: `v: {a: "}", b: [1, ']']} # c` + "\n", want: `{a: "}", b: [1, ']']}`},
		{name: "open at line end", src: "v: {a: 1,\n  b: 2}\n", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := parse(t, tt.src)
			tx := newText([]byte(tt.src))
			start, end, ok := tx.flowEnd(root.Content[1])
			got := ""
			if ok {
				got = string(tx.b[start:end])
			}
			if got != tt.want {
				t.Errorf("flowEnd = %q, want %q", got, tt.want)
			}
		})
	}
}
