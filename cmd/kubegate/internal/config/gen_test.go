package config

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	yaml "go.yaml.in/yaml/v3"
)

// update rewrites the generated files (default.yaml, the key reference in
// docs/config.md) and the golden files instead of comparing with them.
var update = flag.Bool("update", false, "rewrite generated and golden files")

// regenerate is the command that rewrites the generated files.
const regenerate = "go test ./cmd/kubegate/internal/config -update"

const (
	docsFile   = "../../../../docs/config.md"
	docsBegin  = "<!-- BEGIN KEYS: generated from the comments on config.Config by `" + regenerate + "`. DO NOT EDIT. -->\n"
	docsEnd    = "<!-- END KEYS -->\n"
	sourceFile = "config.go"
)

// keyDoc is one key of the file, as the template and the docs show it.
type keyDoc struct {
	path  string // rules.only, exemptions[].reason
	name  string // only, reason
	depth int
	doc   string // the field's comment
	typ   string
	def   any  // the default; nil for keys inside list items
	hasDe bool // def is meaningful
	flag  string
	// inItem marks keys of list items (exemptions[].x): documented, but in
	// the template only inside the list's example.
	inItem bool
}

// fieldComments reads the comments of the struct fields in config.go, by
// type and field name.
func fieldComments(t *testing.T) map[string]map[string]string {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), sourceFile, nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	ast.Inspect(file, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok {
			return true
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			return true
		}
		out[ts.Name.Name] = map[string]string{}
		for _, f := range st.Fields.List {
			for _, name := range f.Names {
				out[ts.Name.Name][name.Name] = strings.TrimSpace(f.Doc.Text())
			}
		}
		return false
	})
	return out
}

// keys lists every key of Config in file order, with its comment, type,
// default and flag.
func keys(t *testing.T) []keyDoc {
	t.Helper()
	comments := fieldComments(t)
	var out []keyDoc
	var walk func(typ reflect.Type, val reflect.Value, prefix string, depth int, inItem bool)
	walk = func(typ reflect.Type, val reflect.Value, prefix string, depth int, inItem bool) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			doc := comments[typ.Name()][f.Name]
			if doc == "" {
				t.Errorf("%s.%s has no comment: the comment is the key's documentation", typ.Name(), f.Name)
			}
			k := keyDoc{path: prefix + name, name: name, depth: depth, doc: doc, typ: typeName(f.Type), flag: f.Tag.Get("flag"), inItem: inItem}
			if val.IsValid() {
				k.def, k.hasDe = val.Field(i).Interface(), true
			}
			out = append(out, k)
			switch {
			case f.Type.Kind() == reflect.Struct:
				var v reflect.Value
				if val.IsValid() {
					v = val.Field(i)
				}
				walk(f.Type, v, k.path+".", depth+1, inItem)
			case f.Type.Kind() == reflect.Slice && f.Type.Elem().Kind() == reflect.Struct:
				walk(f.Type.Elem(), reflect.Value{}, k.path+"[].", depth+1, true)
			}
		}
	}
	walk(reflect.TypeOf(Config{}), reflect.ValueOf(Default()), "", 0, false)
	return out
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Int:
		return "integer"
	case reflect.Bool:
		return "boolean"
	case reflect.String:
		return "string"
	case reflect.Struct:
		return "mapping"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Struct {
			return "list of mappings"
		}
		return "list of strings"
	case reflect.Map:
		if t.Elem().Kind() == reflect.Map {
			return "mapping of mappings"
		}
		return "mapping of strings"
	}
	return t.String()
}

// flow renders a default value as one line of YAML.
func flow(t *testing.T, v any) string {
	t.Helper()
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		t.Fatal(err)
	}
	n.Style |= yaml.FlowStyle
	b, err := yaml.Marshal(&n)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// renderTemplate writes the file `kubegate config init` writes.
func renderTemplate(t *testing.T, ks []keyDoc) []byte {
	var b bytes.Buffer
	b.WriteString("# kubegate configuration. `kubegate lint` finds this file in the working\n" +
		"# directory or a parent; every key is shown with its default value.\n" +
		"# Command-line flags override it; `kubegate config show` prints what is in\n" +
		"# effect. Reference: https://github.com/kubegate/kubegate/blob/main/docs/config.md\n")
	for _, k := range ks {
		if k.inItem {
			continue
		}
		indent := strings.Repeat("  ", k.depth)
		if k.depth == 0 {
			b.WriteString("\n")
		}
		for line := range strings.SplitSeq(k.doc, "\n") {
			if line == "" {
				b.WriteString(indent + "#\n")
				continue
			}
			b.WriteString(indent + "# " + line + "\n")
		}
		if reflect.TypeOf(k.def).Kind() == reflect.Struct {
			b.WriteString(indent + k.name + ":\n")
			continue
		}
		b.WriteString(indent + k.name + ": " + flow(t, k.def) + "\n")
	}
	return b.Bytes()
}

// renderDocs writes the key reference of docs/config.md.
func renderDocs(t *testing.T, ks []keyDoc) string {
	var b strings.Builder
	b.WriteString(docsBegin + "\n")
	b.WriteString("| Key | Type | Default | Flag |\n|---|---|---|---|\n")
	for _, k := range ks {
		def, fl := "", ""
		if k.hasDe && reflect.TypeOf(k.def).Kind() != reflect.Struct {
			def = "`" + flow(t, k.def) + "`"
		}
		if k.flag != "" {
			fl = "`--" + k.flag + "`"
		}
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s | %s | %s |\n", k.path, anchor(k.path), k.typ, def, fl)
	}
	for _, k := range ks {
		fmt.Fprintf(&b, "\n### `%s`\n\n", k.path)
		b.WriteString(markdown(k.doc))
	}
	b.WriteString("\n" + docsEnd)
	return b.String()
}

// anchor is the id GitHub gives a heading: lowercase, punctuation other
// than - and _ dropped.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('-')
		}
	}
	return b.String()
}

// markdown turns a field comment into Markdown: runs of text lines become
// paragraphs, indented lines a YAML code block.
func markdown(doc string) string {
	var b strings.Builder
	var para, code []string
	flush := func() {
		if len(para) > 0 {
			b.WriteString(strings.Join(para, " ") + "\n\n")
			para = nil
		}
		if len(code) > 0 {
			b.WriteString("```yaml\n" + strings.Join(code, "\n") + "\n```\n\n")
			code = nil
		}
	}
	for line := range strings.SplitSeq(doc, "\n") {
		switch {
		case strings.HasPrefix(line, "  "):
			if len(para) > 0 {
				flush()
			}
			code = append(code, strings.TrimPrefix(line, "  "))
		case strings.TrimSpace(line) == "":
			if len(code) == 0 {
				flush()
			}
		default:
			if len(code) > 0 {
				flush()
			}
			para = append(para, strings.TrimSpace(line))
		}
	}
	flush()
	return strings.TrimSuffix(b.String(), "\n")
}

// TestTemplateFresh fails when default.yaml is not what the comments on
// Config generate.
func TestTemplateFresh(t *testing.T) {
	got := renderTemplate(t, keys(t))
	if *update {
		if err := os.WriteFile("default.yaml", got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if diff := cmp.Diff(string(template), string(got)); diff != "" {
		t.Errorf("default.yaml is stale; run %s (-file +generated):\n%s", regenerate, diff)
	}
}

// TestDocsFresh fails when the key reference in docs/config.md is not what
// the comments on Config generate.
func TestDocsFresh(t *testing.T) {
	b, err := os.ReadFile(docsFile)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	start, end := strings.Index(doc, docsBegin), strings.Index(doc, docsEnd)
	if start < 0 || end < start {
		t.Fatalf("%s lacks the markers\n%s%s", docsFile, docsBegin, docsEnd)
	}
	current := doc[start : end+len(docsEnd)]
	generated := renderDocs(t, keys(t))
	if *update {
		if err := os.WriteFile(docsFile, []byte(doc[:start]+generated+doc[end+len(docsEnd):]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if diff := cmp.Diff(current, generated); diff != "" {
		t.Errorf("the key reference in %s is stale; run %s (-file +generated):\n%s", docsFile, regenerate, diff)
	}
}

// TestTemplateDecodesToDefault checks that what `config init` writes is a
// valid file that changes nothing.
func TestTemplateDecodesToDefault(t *testing.T) {
	f, err := Decode(FileName, t.TempDir(), Template())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Default(), f.Config); diff != "" {
		t.Errorf("template decodes to (-default +decoded):\n%s", diff)
	}
	// Every key, nested ones included, is written out (keys of list items
	// appear in the list's example).
	for _, k := range keys(t) {
		if !bytes.Contains(template, []byte(k.name+":")) {
			t.Errorf("template lacks key %s", k.path)
		}
	}
}
