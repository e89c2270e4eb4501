package manifest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	yaml "go.yaml.in/yaml/v3"
	appsv1 "k8s.io/api/apps/v1"

	"github.com/kubegate/kubegate/engine"
)

func errorStrings(errs []*engine.FileError) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

func TestParseErrors(t *testing.T) {
	billion := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	for i, prev := range []string{"a", "b", "c", "d", "e", "f"} {
		next := string(rune('b' + i))
		billion += next + ": &" + next + " [" + strings.Repeat("*"+prev+", ", 8) + "*" + prev + "]\n"
	}
	deep := "apiVersion: v1\nkind: ConfigMap\ndata:\n  x: " + strings.Repeat("[", 300) + strings.Repeat("]", 300) + "\n"

	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{
			name:  "syntax error",
			input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [\n",
			want:  []string{"f.yaml:4:3: yaml: did not find expected node content"},
		},
		{
			name:  "a key indented wrongly is named, not its block's first key",
			input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    a: b\n   c: d\ndata:\n  x: y\n",
			want:  []string{"f.yaml:7:4: yaml: did not find expected key"},
		},
		{
			name:  "a key indented less than its neighbours",
			input: "apiVersion: v1\nkind: ConfigMap\ndata:\n  x: y\n w: v\n",
			want:  []string{"f.yaml:5:2: yaml: did not find expected key"},
		},
		{
			name:  "an unclosed flow sequence is named at its bracket",
			input: "apiVersion: v1\nkind: ConfigMap\ndata:\n  x: [a, b\n  w: v\n",
			want:  []string{"f.yaml:4:6: yaml: did not find expected ',' or ']'"},
		},
		{
			name:  "the bracket left open, not the ones closed or quoted",
			input: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x, labels: {a: b}, annotations: {c: '{'}\n",
			want:  []string{"f.yaml:3:11: yaml: did not find expected ',' or '}'"},
		},
		{
			name:  "an unclosed JSON object",
			input: "{\"apiVersion\": \"v1\",\n \"kind\": \"ConfigMap\"\n",
			want:  []string{"f.yaml:1:1: yaml: did not find expected ',' or '}'"},
		},
		{
			name:  "a mistake on the first line",
			input: "apiVersion: v1: x\nkind: ConfigMap\n",
			want:  []string{"f.yaml:1:1: yaml: mapping values are not allowed in this context"},
		},
		{
			name:  "a control character",
			input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\x01y\n",
			want:  []string{"f.yaml:4:10: yaml: control character U+0001 is not allowed"},
		},
		{
			name:  "an unclosed quote is named at its line",
			input: "apiVersion: v1\nkind: ConfigMap\ndata:\n  x: \"y\n  w: v\n",
			want:  []string{"f.yaml:4:3: yaml: found unexpected end of stream"},
		},
		{
			name:  "tab indentation",
			input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n",
			want:  []string{"f.yaml:4:1: yaml: tab character in indentation; YAML indents with spaces only"},
		},
		{
			name:  "tab indentation after lone carriage returns",
			input: "apiVersion: v1\rkind: ConfigMap\rmetadata:\r\tname: x\r",
			want:  []string{"f.yaml:4:1: yaml: tab character in indentation; YAML indents with spaces only"},
		},
		{
			name:  "invalid UTF-8 after a line separator",
			input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"a\u2028b\xff\"\n",
			want:  []string{"f.yaml:5:2: invalid UTF-8 byte sequence; save the file as UTF-8"},
		},
		{
			name:  "duplicate key",
			input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n",
			want:  []string{`f.yaml:5:3: duplicate key "name" (first defined at line 4)`},
		},
		{
			name:  "document is a sequence",
			input: "- a\n- b\n",
			want:  []string{"f.yaml:1:1: document is a sequence, not a mapping; a Kubernetes object is a mapping with apiVersion and kind"},
		},
		{
			name:  "document is a scalar",
			input: "hello\n",
			want:  []string{"f.yaml:1:1: document is a scalar, not a mapping; a Kubernetes object is a mapping with apiVersion and kind"},
		},
		{
			name:  "missing apiVersion",
			input: "kind: ConfigMap\nmetadata: {name: a}\n",
			want:  []string{"f.yaml:1:1: object has no apiVersion"},
		},
		{
			name:  "missing kind",
			input: "apiVersion: v1\nmetadata: {name: a}\n",
			want:  []string{"f.yaml:1:1: object has no kind"},
		},
		{
			name:  "kind not a string",
			input: "apiVersion: v1\nkind: [a]\n",
			want:  []string{"f.yaml:2:1: kind must be a non-empty string"},
		},
		{
			name:  "bad apiVersion",
			input: "apiVersion: a/b/c\nkind: X\n",
			want:  []string{`f.yaml:1:1: apiVersion "a/b/c" is not group/version or version`},
		},
		{
			name:  "billion laughs",
			input: billion,
			want:  []string{`f.yaml:6:8: aliases expand to more than 100000 nodes (a "billion laughs" document?)`},
		},
		{
			name:  "nesting too deep",
			input: deep,
			want:  []string{"f.yaml:4:204: nesting deeper than 200 levels"},
		},
		{
			name:  "invalid UTF-8",
			input: "apiVersion: v1\nkind: ConfigMap\ndata:\n  k: \"a\xffb\"\n",
			want:  []string{"f.yaml:4:8: invalid UTF-8 byte sequence; save the file as UTF-8"},
		},
		{
			name:  "error in one document leaves the others",
			input: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkey: [\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
			want:  []string{"f.yaml:5:1: yaml: did not find expected node content"},
		},
		{
			name:  "list item not an object",
			input: "apiVersion: v1\nkind: List\nitems:\n  - 42\n",
			want:  []string{"f.yaml:4:5: item 0 of List is a scalar, not an object"},
		},
		{
			name:  "unknown anchor",
			input: "apiVersion: v1\nkind: ConfigMap\ndata: *nope\n",
			want:  []string{`f.yaml:3:7: yaml: unknown anchor 'nope' referenced`},
		},
	}
	p := NewParser(DefaultLimits())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := p.Parse("f.yaml", []byte(tt.input))
			if diff := cmp.Diff(tt.want, errorStrings(errs)); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseKeepsGoodDocumentsAroundBadOnes(t *testing.T) {
	in := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkey: [\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"
	objs, errs := NewParser(DefaultLimits()).Parse("f.yaml", []byte(in))
	if len(errs) != 1 || len(objs) != 2 || objs[0].Name != "a" || objs[1].Name != "b" || objs[1].Source.Line != 7 {
		t.Fatalf("got %d objects %v and errors %v", len(objs), objs, errs)
	}
}

func TestAliasBudgetCoversTheWholeFile(t *testing.T) {
	// Each document alone stays under the budget; together they do not.
	doc := "---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	p := NewParser(Limits{MaxFileSize: 1 << 20, MaxDepth: 50, MaxAliasNodes: 1000})
	_, errs := p.Parse("many.yaml", []byte(strings.Repeat(doc, 20)))
	if len(errs) == 0 {
		t.Fatal("20 documents of 110 alias nodes each passed a 1000-node budget")
	}
	if !strings.Contains(errs[len(errs)-1].Error(), "aliases expand to more than 1000 nodes") {
		t.Errorf("errors = %v", errs)
	}
}

func TestFileTooLarge(t *testing.T) {
	p := NewParser(Limits{MaxFileSize: 10, MaxDepth: 10, MaxAliasNodes: 10})
	_, errs := p.Parse("big.yaml", []byte("apiVersion: v1\nkind: ConfigMap\n"))
	want := []string{"big.yaml: file is 31 bytes, larger than the 10-byte limit"}
	if diff := cmp.Diff(want, errorStrings(errs)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

// TestOddLineBreaks: goyaml breaks lines at a lone "\r" (classic Mac OS),
// NEL, LS and PS, so the stream is cut into documents, and positions are
// counted, at those too; a document marker after one is not lost inside
// the document before it, nor a document after a comment.
func TestOddLineBreaks(t *testing.T) {
	cm := func(name string) string { return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n" }
	tests := []struct {
		name  string
		input string
		br    string // the break every "\n" of input becomes
		want  []string
	}{
		{name: "lone CR", input: cm("a") + "---\n" + cm("b"), br: "\r", want: []string{"a@4:3", "b@9:3"}},
		{name: "lone CR after a comment", input: "# c\n" + cm("a"), br: "\r", want: []string{"a@5:3"}},
		{name: "lone CR after an end marker", input: cm("a") + "...\n# c\n" + cm("b"), br: "\r", want: []string{"a@4:3", "b@10:3"}},
		{name: "NEL", input: cm("a") + "---\n" + cm("b"), br: "\u0085", want: []string{"a@4:3", "b@9:3"}},
		{name: "LS", input: cm("a") + "---\n" + cm("b"), br: "\u2028", want: []string{"a@4:3", "b@9:3"}},
		{name: "PS then CRLF", input: "# c\u2029" + cm("a") + "---\n" + cm("b"), br: "\r\n", want: []string{"a@5:3", "b@10:3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.ReplaceAll(tt.input, "\n", tt.br)
			objs, errs := NewParser(DefaultLimits()).Parse("f.yaml", []byte(in))
			if len(errs) > 0 {
				t.Fatalf("errors: %v", errs)
			}
			var got []string
			for _, o := range objs {
				loc := o.Locate(engine.NewPath("metadata", "name"))
				got = append(got, fmt.Sprintf("%s@%d:%d", o.Name, loc.Line, loc.Column))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("objects (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEncodings(t *testing.T) {
	tests := []struct {
		name  string
		input []byte
	}{
		{"plain", []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")},
		{"utf-8 bom", []byte("\xef\xbb\xbfapiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")},
		{"crlf", []byte("apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: x\r\n")},
		{"bom and crlf with separator", []byte("\xef\xbb\xbf---\r\napiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: x\r\n")},
		{"utf-16le bom", utf16le("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs, errs := NewParser(DefaultLimits()).Parse("f.yaml", tt.input)
			if len(errs) > 0 || len(objs) != 1 {
				t.Fatalf("got %d objects, errors %v", len(objs), errs)
			}
			loc := objs[0].Locate(engine.NewPath("metadata", "name"))
			if loc.Column != 3 || loc.Line < 4 || loc.Line > 5 {
				t.Errorf("metadata.name at %+v", loc)
			}
		})
	}
}

func utf16le(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, r := range s {
		out = append(out, byte(r), 0)
	}
	return out
}

func TestScalarsResolveLikeKubectl(t *testing.T) {
	in := `apiVersion: v1
kind: ConfigMap
metadata: {name: x}
data:
  bool11: on
  quoted: "on"
  int: 42
  octal: 0755
  float: 1.5
  null: ~
  str: 1.2.3
  tagged: !!str 12
  big: 18446744073709551615
  quantity: 100m
  hex: 0x1F
  negbin: -0b101
  underscores: 1_000
  plus: +5
  exp: 1e3
  octo: 0o17
  dash: "-"
  version: 1.30
`
	objs, errs := NewParser(DefaultLimits()).Parse("f.yaml", []byte(in))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := map[string]any{
		"bool11": true, "quoted": "on", "int": int64(42), "octal": int64(493), "float": 1.5,
		"null": nil, "str": "1.2.3", "tagged": "12", "big": float64(18446744073709551615),
		"quantity": "100m", "hex": int64(31), "negbin": int64(-5), "underscores": int64(1000), "plus": int64(5),
		"exp": float64(1000), "octo": int64(15), "dash": "-", "version": 1.3,
	}
	if diff := cmp.Diff(want, objs[0].Raw["data"]); diff != "" {
		t.Errorf("data (-want +got):\n%s", diff)
	}
}

func TestListsJSONAndHelmSources(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string // kind/name@file:line:col
	}{
		{
			name:  "kind List",
			input: "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n",
			want:  []string{"Service/a@f.yaml:4:3", "ConfigMap/b@f.yaml:7:3"},
		},
		{
			name:  "typed list",
			input: "apiVersion: v1\nkind: ServiceList\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n",
			want:  []string{"Service/a@f.yaml:4:3"},
		},
		{
			name:  "json",
			input: "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"ConfigMap\",\n  \"metadata\": {\"name\": \"j\"}\n}\n",
			want:  []string{"ConfigMap/j@f.yaml:1:1"},
		},
		{
			name:  "helm sources",
			input: "---\n# Source: chart/templates/svc.yaml\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\n# Source: chart/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\n",
			want:  []string{"Service/s@chart/templates/svc.yaml:1:1", "ConfigMap/c@chart/templates/cm.yaml:1:1", "ConfigMap/d@chart/templates/cm.yaml:5:1"},
		},
		{
			name:  "empty documents and comments",
			input: "---\n# just a comment\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n...\n",
			want:  []string{"ConfigMap/x@f.yaml:5:1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs, errs := NewParser(DefaultLimits()).Parse("f.yaml", []byte(tt.input))
			if len(errs) > 0 {
				t.Fatal(errs)
			}
			var got []string
			for _, o := range objs {
				got = append(got, fmt.Sprintf("%s/%s@%s:%d:%d", o.Kind, o.Name, o.Source.File, o.Source.Line, o.Source.Column))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("objects (-want +got):\n%s", diff)
			}
		})
	}
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: app
          image: nginx
          imagePullPolice: Always
          ports:
            - containerPort: "80"
          env:
            - name: DEBUG
              value: yes
`

func TestTypedDecodingAndProblems(t *testing.T) {
	objs, errs := NewParser(DefaultLimits()).Parse("d.yaml", []byte(deployment))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	o := objs[0]
	d, ok := o.TypedObject().(*appsv1.Deployment)
	if !ok {
		t.Fatalf("Typed = %T, want *appsv1.Deployment", o.Typed)
	}
	if d.Spec.Template.Spec.Containers[0].Image != "nginx" {
		t.Errorf("typed image = %q", d.Spec.Template.Spec.Containers[0].Image)
	}
	var got []string
	for _, p := range o.Problems {
		loc := o.Locate(p.Path)
		got = append(got, fmt.Sprintf("%d:%d %s", loc.Line, loc.Column, p.Message))
	}
	want := []string{
		"20:15 spec.template.spec.containers[0].env[0].value must be a string, not a boolean (unquoted yes/no/on/off/true/false are booleans in YAML; quote the value)",
		"17:15 spec.template.spec.containers[0].ports[0].containerPort must be an integer, not a string",
	}
	// Unknown fields are the schema rule's business (it knows the chosen
	// release's schema); decoding ignores them.
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestLocate(t *testing.T) {
	objs, _ := NewParser(DefaultLimits()).Parse("d.yaml", []byte(deployment))
	o := objs[0]
	tests := []struct {
		path string
		want string
	}{
		{"", "1:1"},
		{"metadata.name", "4:3"},
		{"spec.template.spec.containers[0]", "13:11"},
		{"spec.template.spec.containers[0].livenessProbe", "13:11"}, // missing: the container
		{"spec.template.spec.containers[0].ports[0].containerPort", "17:15"},
		{"spec.template.spec.containers[5]", "12:7"}, // missing index: the list's key
		{"spec.template.metadata.labels.app", "10:16"},
		{"spec.nothing.deeper", "5:1"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p, err := engine.ParsePath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			loc := o.Locate(p)
			if got := fmt.Sprintf("%d:%d", loc.Line, loc.Column); got != tt.want {
				t.Errorf("Locate(%s) = %s, want %s", tt.path, got, tt.want)
			}
		})
	}
}

func TestLoaderDirectoriesAndStdin(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cm := func(name string) string {
		return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\n"
	}
	write("b.yaml", cm("b"))
	write("a/a.yml", cm("a"))
	write("c.json", `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}`)
	write("notes.txt", "not a manifest")
	write(".hidden/h.yaml", cm("hidden"))
	write("bad.yaml", "key: [\n")
	empty := t.TempDir()

	l := &Loader{Parser: NewParser(DefaultLimits()), Stdin: bytes.NewBufferString(cm("stdin"))}
	res := l.Load(context.Background(), []string{dir, "-", filepath.Join(dir, "missing.yaml"), empty})
	var names []string
	for _, o := range res.Objects {
		names = append(names, o.Name+"@"+filepath.Base(o.Source.File))
	}
	wantNames := []string{"a@a.yml", "b@b.yaml", "c@c.json", "stdin@<stdin>"}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("objects (-want +got):\n%s", diff)
	}
	var errs []string
	for _, e := range res.Errors {
		errs = append(errs, strings.ReplaceAll(strings.ReplaceAll(e.Error(), dir, "DIR"), empty, "EMPTY"))
	}
	wantErrs := []string{
		"DIR/missing.yaml: read manifest: no such file or directory",
		"EMPTY: directory holds no .yaml, .yml or .json file",
		"DIR/bad.yaml:1:1: yaml: did not find expected node content",
	}
	if diff := cmp.Diff(wantErrs, errs); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(deployment))
	f.Add([]byte("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n"))
	f.Add([]byte("a: &a [x, x]\nb: [*a, *a]\n<<: *a\n"))
	f.Add([]byte("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":1}]}}"))
	f.Add([]byte("---\n# Source: x\n---\n..."))
	f.Add([]byte("# c\rapiVersion: v1\rkind: Pod\r---\rapiVersion: v1\rkind: Pod\r"))
	f.Add([]byte("apiVersion: v1\nkind: List\n<<: {items: [{apiVersion: v1, kind: Pod}, {apiVersion: v1, kind: Pod}, {apiVersion: v1, kind: Pod}]}\n"))
	p := NewParser(Limits{MaxFileSize: 1 << 20, MaxDepth: 50, MaxAliasNodes: 10_000})
	f.Fuzz(func(t *testing.T, data []byte) {
		objs, errs := p.Parse("fuzz.yaml", data)
		for _, o := range objs {
			if o.Kind == "" || o.APIVersion == "" {
				t.Fatalf("object without kind or apiVersion: %+v", o)
			}
			_ = o.Locate(engine.NewPath("spec", "containers", 0, "name"))
		}
		for _, e := range errs {
			if e.File == "" || e.Err == nil {
				t.Fatalf("error without file or cause: %+v", e)
			}
		}
		if n := goyamlObjects(data); len(objs)+len(errs) < n {
			t.Fatalf("goyaml reads %d objects, Parse returned %d objects and %d errors: a document went unseen:\n%q", n, len(objs), len(errs), data)
		}
	})
}

// goyamlObjects is the number of documents goyaml reads in data, when it
// reads them all, that are mappings with a kind other than a List's: each
// must give Parse an object or an error, or a document went unseen.
func goyamlObjects(data []byte) int {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	n := 0
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				return n
			}
			return 0
		}
		if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
			continue
		}
		root := doc.Content[0]
		for i := 0; i+1 < len(root.Content); i += 2 {
			if k, v := root.Content[i], root.Content[i+1]; k.Value == "kind" && v.Kind == yaml.ScalarNode && v.Value != "" && !strings.HasSuffix(v.Value, "List") {
				n++
				break
			}
		}
	}
}
