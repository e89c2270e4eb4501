package output_test

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
	"github.com/kubegate/kubegate/engine/output"
)

var update = flag.Bool("update", false, "rewrite golden files")

const fixture = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx
          resources:
            limits: {cpu: "1", memory: 1Gi}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: shop
spec:
  storageClassName: fast
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
`

// nameRule reports every object's name at three severities, one of them
// suppressed by an annotation, so every branch of the formats shows.
type nameRule struct{}

func (nameRule) Meta() engine.Meta {
	return engine.Meta{ID: "name-check", Severity: engine.Warning, Remediation: "rename it", DocURL: "https://example.com/name-check"}
}

func (nameRule) Check(_ context.Context, o *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	m := nameRule{}.Meta()
	fs := []engine.Finding{engine.NewFinding(m, engine.NewPath("metadata", "name"), "%s %q is named\nacross lines", o.Kind, o.Name)}
	if o.Kind == "Deployment" {
		f := engine.NewFinding(m, engine.NewPath("spec", "template", "spec", "containers", 0, "livenessProbe"), "no probe")
		f.Severity = engine.Error
		info := engine.NewFinding(m, nil, "just so you know")
		info.Severity = engine.Info
		hidden := engine.NewFinding(m, nil, "suppressed one")
		hidden.Suppressed = true
		hidden.Suppression = &engine.Suppression{Kind: engine.SuppressedByAnnotation, Reason: "named by the platform team"}
		fs = append(fs, f, info, hidden)
	}
	return fs, nil
}

// storageRule applies to Deployments, which pass it, and claims, whose
// finding the configuration suppresses: a passing and a skipped test in
// the test-report formats, and a rule that does not apply to ConfigMaps.
type storageRule struct{}

func (storageRule) Meta() engine.Meta {
	return engine.Meta{
		ID: "storage-check", Title: "Storage is approved", Description: "Claims use an approved storage class.",
		Severity: engine.Warning, Kinds: []string{"apps/Deployment", "PersistentVolumeClaim"},
		Remediation: "use storage class standard", DocURL: "https://example.com/storage-check",
	}
}

func (storageRule) Check(_ context.Context, o *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	if o.Kind != "PersistentVolumeClaim" {
		return nil, nil
	}
	f := engine.NewFinding(storageRule{}.Meta(), engine.NewPath("spec", "storageClassName"), "storage class %q is not approved", "fast")
	f.Suppressed = true
	f.Suppression = &engine.Suppression{Kind: engine.SuppressedByConfig, Reason: "fast storage approved for shop"}
	return []engine.Finding{f}, nil
}

func report(t *testing.T) *output.Report {
	t.Helper()
	objs, errs := manifest.NewParser(manifest.DefaultLimits()).Parse("app.yaml", []byte(fixture))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	rules := []engine.Rule{nameRule{}, storageRule{}}
	res, err := engine.New(rules).Run(context.Background(), objs, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &output.Report{
		Rules:    []engine.Meta{nameRule{}.Meta(), storageRule{}.Meta()},
		Version:  "1.2.3",
		Findings: res.Findings,
		Errors: []*engine.FileError{
			{Location: engine.Location{File: "broken.yaml", Line: 4, Column: 3}, Err: errors.New("yaml: did not find expected node content")},
			{Location: engine.Location{File: "missing.yaml"}, Err: errors.New("read manifest: no such file or directory")},
		},
		Objects: output.Summarize(objs, engine.NewInventory(objs)),
		Files:   1,
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}

func TestFormats(t *testing.T) {
	tests := []struct {
		name   string
		golden string
		write  func(*bytes.Buffer, *output.Report) error
	}{
		{name: "text", golden: "report.txt", write: func(b *bytes.Buffer, r *output.Report) error {
			return output.WriteText(b, r, output.TextOptions{})
		}},
		{name: "text in colour", golden: "report-color.txt", write: func(b *bytes.Buffer, r *output.Report) error {
			return output.WriteText(b, r, output.TextOptions{Color: true})
		}},
		{name: "json", golden: "report.json", write: func(b *bytes.Buffer, r *output.Report) error {
			return output.WriteJSON(b, r)
		}},
		{name: "github", golden: "report.github", write: func(b *bytes.Buffer, r *output.Report) error {
			return output.WriteGitHub(b, r)
		}},
		{name: "json of an empty run", golden: "empty.json", write: func(b *bytes.Buffer, _ *output.Report) error {
			return output.WriteJSON(b, &output.Report{})
		}},
		{name: "sarif", golden: "report.sarif", write: func(b *bytes.Buffer, r *output.Report) error {
			return output.WriteSARIF(b, r, output.SARIFOptions{SrcRoot: "/work/repo"})
		}},
		{name: "junit", golden: "report.junit.xml", write: func(b *bytes.Buffer, r *output.Report) error {
			return output.WriteJUnit(b, r)
		}},
		{name: "tap", golden: "report.tap", write: func(b *bytes.Buffer, r *output.Report) error {
			return output.WriteTAP(b, r)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tt.write(&b, report(t)); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.golden, b.Bytes())
		})
	}
}

func TestFailingAndCount(t *testing.T) {
	r := report(t)
	c := r.Count()
	if c.Errors != 1 || c.Warnings != 3 || c.Infos != 1 || c.Suppressed != 2 {
		t.Errorf("Count() = %+v", c)
	}
	tests := []struct {
		failOn engine.Severity
		want   bool
	}{{engine.Error, true}, {engine.Warning, true}, {engine.Info, true}}
	for _, tt := range tests {
		if got := r.Failing(tt.failOn); got != tt.want {
			t.Errorf("Failing(%v) = %v", tt.failOn, got)
		}
	}
	suppressedOnly := &output.Report{Findings: []engine.Finding{{Severity: engine.Error, Suppressed: true}}}
	if suppressedOnly.Failing(engine.Info) {
		t.Error("a suppressed finding failed the run")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrorsAreReported(t *testing.T) {
	r := report(t)
	if err := output.WriteText(failingWriter{}, r, output.TextOptions{}); err == nil {
		t.Error("WriteText to a failing writer returned nil")
	}
	if err := output.WriteJSON(failingWriter{}, r); err == nil {
		t.Error("WriteJSON to a failing writer returned nil")
	}
	if err := output.WriteGitHub(failingWriter{}, r); err == nil {
		t.Error("WriteGitHub to a failing writer returned nil")
	}
	if err := output.WriteSARIF(failingWriter{}, r, output.SARIFOptions{}); err == nil {
		t.Error("WriteSARIF to a failing writer returned nil")
	}
	if err := output.WriteJUnit(failingWriter{}, r); err == nil {
		t.Error("WriteJUnit to a failing writer returned nil")
	}
	if err := output.WriteTAP(failingWriter{}, r); err == nil {
		t.Error("WriteTAP to a failing writer returned nil")
	}
}

func TestRuleErrors(t *testing.T) {
	cause := errors.New("boom")
	re := engine.RuleError{
		RuleID:   "name-check",
		Object:   engine.ObjectRef{Kind: "Pod", Name: "p"},
		Location: engine.Location{File: "pod.yaml", Line: 3, Column: 1},
		Err:      cause,
	}
	got := output.RuleErrors([]engine.RuleError{re})
	if len(got) != 1 {
		t.Fatalf("RuleErrors returned %d errors", len(got))
	}
	if got[0].Location != re.Location {
		t.Errorf("location = %+v, want %+v", got[0].Location, re.Location)
	}
	if want := "run rule name-check on Pod/p: boom"; got[0].Err.Error() != want {
		t.Errorf("message = %q, want %q", got[0].Err.Error(), want)
	}
	var as engine.RuleError
	if !errors.As(got[0], &as) || as.RuleID != "name-check" || !errors.Is(got[0], cause) {
		t.Errorf("the rule error is not kept in the chain: %v", got[0])
	}
}

func TestGitHubEscaping(t *testing.T) {
	r := &output.Report{Findings: []engine.Finding{{
		RuleID: "r", Severity: engine.Warning, Message: "100% sure,\r\nreally: yes",
		Location: engine.Location{File: "dir,x/a:b.yaml", Line: 2, Column: 5},
	}}}
	var b bytes.Buffer
	if err := output.WriteGitHub(&b, r); err != nil {
		t.Fatal(err)
	}
	want := "::warning file=dir%2Cx/a%3Ab.yaml,line=2,col=5,title=r::100%25 sure,%0D%0Areally: yes\n"
	if got, _, _ := strings.Cut(b.String(), "\n"); got+"\n" != want {
		t.Errorf("got %q\nwant %q", got+"\n", want)
	}
}
