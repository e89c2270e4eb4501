package rules_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/rules"
)

const docsFile = "../docs/rules.md"

// TestDocs fails when docs/rules.md is not what WriteDocs generates from the
// built-in rules; -update rewrites it.
func TestDocs(t *testing.T) {
	all, err := rules.Builtin(context.Background())
	if err != nil {
		t.Fatalf("load built-in rules: %v", err)
	}
	var buf bytes.Buffer
	if err := rules.WriteDocs(&buf, all); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(docsFile, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(docsFile)
	if err != nil {
		t.Fatalf("%v (run %s)", err, rules.DocsRegenerate)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("%s is stale; run %s (-file +generated):\n%s", docsFile, rules.DocsRegenerate, diff)
	}
}

// TestDocsDeterministic checks that the reference depends on the rules'
// metadata only, not on their order.
func TestDocsDeterministic(t *testing.T) {
	all, err := rules.Builtin(context.Background())
	if err != nil {
		t.Fatalf("load built-in rules: %v", err)
	}
	var a, b bytes.Buffer
	if err := rules.WriteDocs(&a, all); err != nil {
		t.Fatal(err)
	}
	reversed := slices.Clone(all)
	slices.Reverse(reversed)
	if err := rules.WriteDocs(&b, reversed); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a.String(), b.String()); diff != "" {
		t.Errorf("docs depend on rule order (-given order +reversed):\n%s", diff)
	}
}

type metaOnly engine.Meta

func (m metaOnly) Meta() engine.Meta { return engine.Meta(m) }

func (metaOnly) Check(context.Context, *engine.Object, engine.Inventory) ([]engine.Finding, error) {
	return nil, nil
}

func TestWriteDocsRejects(t *testing.T) {
	tests := []struct {
		name  string
		rules []engine.Rule
		want  string
	}{
		{name: "duplicate id", rules: []engine.Rule{metaOnly{ID: "a"}, metaOnly{ID: "a"}}, want: "rule a is defined twice"},
		{name: "id unusable as anchor", rules: []engine.Rule{metaOnly{ID: "Bad ID"}}, want: `rule id "Bad ID" cannot be an anchor`},
		{name: "empty id", rules: []engine.Rule{metaOnly{}}, want: `rule id "" cannot be an anchor`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := rules.WriteDocs(io.Discard, tt.rules)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("WriteDocs error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestWriteDocsEscapesTableCells(t *testing.T) {
	var buf bytes.Buffer
	r := metaOnly{ID: "x", Title: "X", Params: []engine.ParamDesc{{Name: "p", Type: "string", Description: "a | b\nc"}}}
	if err := rules.WriteDocs(&buf, []engine.Rule{r}); err != nil {
		t.Fatal(err)
	}
	if want := "| `p` | string | none | a \\| b c |\n"; !strings.Contains(buf.String(), want) {
		t.Errorf("docs lack parameter row %q:\n%s", want, buf.String())
	}
}

func TestWriteDocsEscapesHTMLOutsideCode(t *testing.T) {
	var buf bytes.Buffer
	r := metaOnly{ID: "x", Title: "X", Description: "see `kubectl explain <kind>` or <b>, and a stray ` <i>"}
	if err := rules.WriteDocs(&buf, []engine.Rule{r}); err != nil {
		t.Fatal(err)
	}
	if want := "see `kubectl explain <kind>` or &lt;b&gt;, and a stray ` &lt;i&gt;\n"; !strings.Contains(buf.String(), want) {
		t.Errorf("docs lack %q:\n%s", want, buf.String())
	}
}
