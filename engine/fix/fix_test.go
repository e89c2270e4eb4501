package fix_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	udiff "github.com/aymanbagabas/go-udiff"
	"github.com/google/go-cmp/cmp"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/fix"
	"github.com/kubegate/kubegate/engine/manifest"
	"github.com/kubegate/kubegate/rules"
	"github.com/kubegate/kubegate/schema"
)

var update = flag.Bool("update", false, "rewrite golden files")

// casesDir holds one directory per case: in.yaml (or in.json), the golden
// out.yaml, diff and notes, and optionally target, a Kubernetes release
// for the deprecated-api rule.
const casesDir = "../../testdata/fix"

var (
	defaultRulesOnce sync.Once
	defaultRules     []engine.Rule
	defaultRulesErr  error
)

// linter returns an engine over the rules `kubegate lint` runs by default,
// with deprecated-api checking against target ("" for the newest release).
func linter(t *testing.T, target string) *engine.Engine {
	t.Helper()
	defaultRulesOnce.Do(func() {
		all, err := rules.Builtin(context.Background())
		for _, r := range all {
			if !r.Meta().Disabled {
				defaultRules = append(defaultRules, r)
			}
		}
		defaultRulesErr = err
	})
	if defaultRulesErr != nil {
		t.Fatal(defaultRulesErr)
	}
	if target == "" {
		return engine.New(defaultRules)
	}
	rs := slices.Clone(defaultRules)
	for i, r := range rs {
		if c, ok := r.(engine.Configurable); ok && r.Meta().ID == "deprecated-api" {
			cr, err := c.Configure(map[string]any{"targetVersion": target})
			if err != nil {
				t.Fatal(err)
			}
			rs[i] = cr
		}
	}
	return engine.New(rs)
}

// lint parses data as file name and runs the default rules on it.
func lint(t *testing.T, eng *engine.Engine, name string, data []byte) ([]*engine.Object, []engine.Finding) {
	t.Helper()
	objs, errs := manifest.NewParser(manifest.DefaultLimits()).Parse(name, data)
	if len(errs) > 0 {
		t.Fatalf("parse %s: %v", name, errs[0])
	}
	res, err := eng.Run(context.Background(), objs, nil)
	if err != nil {
		t.Fatal(err)
	}
	return objs, res.Findings
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
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
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// notes renders what a fix did and left, one line each.
func notes(r fix.Result) string {
	var b strings.Builder
	for _, c := range r.Changes {
		fmt.Fprintf(&b, "%d:%d: fix [%s]: %s\n", c.Finding.Location.Line, c.Finding.Location.Column, c.Finding.RuleID, c.Description)
	}
	for _, s := range r.Skips {
		fmt.Fprintf(&b, "%d:%d: no fix [%s]: %s\n", s.Finding.Location.Line, s.Finding.Location.Column, s.Finding.RuleID, s.Reason)
	}
	return b.String()
}

// findingKey identifies a finding across a fix, which moves lines and may
// change the object's apiVersion.
func findingKey(f engine.Finding) string {
	return fmt.Sprintf("%s %s %s/%s: %s", f.RuleID, f.Object.Kind, f.Object.Namespace, f.Object.Name, f.Message)
}

func keys(fs []engine.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, findingKey(f))
	}
	slices.Sort(out)
	return out
}

// cleanCases must lint clean, with no finding at all, once fixed: the
// issue's "a --fix golden test where the fixed file then lints clean".
var cleanCases = []string{"deployment-clean", "ingress-extensions", "ingress-networking-4space"}

func TestGolden(t *testing.T) {
	dirs, err := os.ReadDir(casesDir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		name := d.Name()
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(casesDir, name)
			in, ext := readInput(t, dir)
			var opts fix.Options
			target := ""
			if b, err := os.ReadFile(filepath.Join(dir, "target")); err == nil {
				target = strings.TrimSpace(string(b))
				if opts.TargetVersion, err = schema.ParseVersion(target); err != nil {
					t.Fatal(err)
				}
			}
			eng := linter(t, target)
			file := name + "/in" + ext
			objs, findings := lint(t, eng, file, in)
			r := fix.File(file, in, objs, findings, opts)

			checkGolden(t, filepath.Join(dir, "out"+ext), r.Data)
			checkGolden(t, filepath.Join(dir, "notes"), []byte(notes(r)))
			d, err := udiff.ToUnified("a/"+file, "b/"+file, string(in), udiff.Lines(string(in), string(r.Data)), udiff.DefaultContextLines)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, filepath.Join(dir, "diff"), []byte(d))

			// What the fix claims it resolved is gone, what it left is
			// still there, and it made no new work for the fixable rules.
			// (Other rules may find more once an object moved to a served
			// API version: some apply to networking.k8s.io/v1 only.)
			_, after := lint(t, eng, file, r.Data)
			before, remain := keys(findings), keys(after)
			for _, c := range r.Changes {
				if k := findingKey(c.Finding); !slices.Contains(before, k) || slices.Contains(remain, k) {
					t.Errorf("fixed finding was not reported before or is still reported after: %s", k)
				}
			}
			for _, s := range r.Skips {
				if k := findingKey(s.Finding); !slices.Contains(remain, k) {
					t.Errorf("skipped finding is gone after the fix: %s", k)
				}
			}
			for _, f := range after {
				if k := findingKey(f); fix.Fixable(f.RuleID) && !slices.Contains(before, k) {
					t.Errorf("the fix brought a new finding of a fixable rule: %s", k)
				}
			}
			if slices.Contains(cleanCases, name) && len(after) > 0 {
				t.Errorf("fixed file does not lint clean:\n%s", strings.Join(keys(after), "\n"))
			}

			// Fixing again changes nothing.
			objs2, findings2 := lint(t, eng, file, r.Data)
			again := fix.File(file, r.Data, objs2, findings2, opts)
			if again.Changed() || string(again.Data) != string(r.Data) {
				t.Errorf("fixing twice changed the file again:\n%s", notes(again))
			}
		})
	}
	for _, c := range cleanCases {
		if !seen[c] {
			t.Errorf("clean case %s has no directory under %s", c, casesDir)
		}
	}
}

// readInput reads a case's in.yaml or in.json.
func readInput(t *testing.T, dir string) ([]byte, string) {
	t.Helper()
	for _, ext := range []string{".yaml", ".json"} {
		if b, err := os.ReadFile(filepath.Join(dir, "in"+ext)); err == nil {
			return b, ext
		}
	}
	t.Fatalf("%s holds no in.yaml or in.json", dir)
	return nil, ""
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFileEdges(t *testing.T) {
	const pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: x\nspec:\n  containers:\n    - name: c\n      image: r/c:latest\n      imagePullPolicy: IfNotPresent"
	tests := []struct {
		name string
		in   string
		// edit changes the findings before fixing.
		edit func(fs []engine.Finding, name string) []engine.Finding
		// want are substrings of the output; wantSame says it must be the
		// input unchanged.
		want     []string
		wantSame bool
		wantN    int // changes
	}{
		{name: "no final line end stays so", in: pod, want: []string{"imagePullPolicy: Always\n      securityContext:\n", "type: RuntimeDefault"}, wantN: 3},
		{name: "byte-order mark kept", in: "\xEF\xBB\xBF" + pod + "\n", want: []string{"\xEF\xBB\xBFapiVersion: v1\n", "imagePullPolicy: Always\n"}, wantN: 3},
		{
			name: "suppressed findings are not fixed",
			in:   pod + "\n",
			edit: func(fs []engine.Finding, _ string) []engine.Finding {
				for i := range fs {
					fs[i].Suppressed = true
				}
				return fs
			},
			wantSame: true,
		},
		{
			name: "findings about another file are not fixed",
			in:   pod + "\n",
			edit: func(fs []engine.Finding, _ string) []engine.Finding {
				for i := range fs {
					fs[i].Location.File = "other.yaml"
				}
				return fs
			},
			wantSame: true,
		},
		{
			name: "only the rules whose findings are given",
			in:   pod + "\n",
			edit: func(fs []engine.Finding, _ string) []engine.Finding {
				return slices.DeleteFunc(fs, func(f engine.Finding) bool { return f.RuleID != "image-pull-policy" })
			},
			want:  []string{"      imagePullPolicy: Always\n"},
			wantN: 1,
		},
	}
	eng := linter(t, "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "edge.yaml"
			objs, findings := lint(t, eng, name, []byte(tt.in))
			if tt.edit != nil {
				findings = tt.edit(findings, name)
			}
			r := fix.File(name, []byte(tt.in), objs, findings, fix.Options{})
			got := string(r.Data)
			if tt.wantSame && got != tt.in {
				t.Errorf("input changed:\n%s", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("output lacks %q:\n%s", w, got)
				}
			}
			if len(r.Changes) != tt.wantN {
				t.Errorf("%d changes, want %d:\n%s", len(r.Changes), tt.wantN, notes(r))
			}
			if tt.wantSame && len(r.Skips) > 0 {
				t.Errorf("findings that are not to be fixed were reported as skipped:\n%s", notes(r))
			}
		})
	}
}

// TestKeptBlankLines: the blank lines at the end of a `|+` or `>+` scalar
// are part of its value, so nothing may be inserted before them; the fixes
// that would insert after such a scalar are left undone, with a note, and
// the file keeps every value.
func TestKeptBlankLines(t *testing.T) {
	eng := linter(t, "")
	for _, header := range []string{"|+", ">+"} {
		t.Run(header, func(t *testing.T) {
			in := "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec:\n  securityContext: {runAsUser: 1000}\n" +
				"  containers:\n  - name: a\n    image: busybox:1.36\n    args:\n    - " + header + "\n      echo hi\n\n  - name: b\n    image: busybox:1.36\n"
			objs, findings := lint(t, eng, "kept.yaml", []byte(in))
			r := fix.File("kept.yaml", []byte(in), objs, findings, fix.Options{})
			if string(r.Data) != in {
				t.Errorf("the file changed:\n%s", r.Data)
			}
			if len(r.Skips) == 0 || !strings.Contains(notes(r), "keeps its trailing blank lines") {
				t.Errorf("no note about the kept blank lines:\n%s", notes(r))
			}
		})
	}
	// A scalar that keeps no blank line is no obstacle.
	in := "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec:\n  securityContext: {runAsUser: 1000}\n" +
		"  containers:\n  - name: a\n    image: busybox:1.36\n    args:\n    - |+\n      echo hi\n  - name: b\n    image: busybox:1.36\n"
	objs, findings := lint(t, eng, "plain.yaml", []byte(in))
	if r := fix.File("plain.yaml", []byte(in), objs, findings, fix.Options{}); !r.Changed() {
		t.Errorf("nothing fixed:\n%s", notes(r))
	}
}
