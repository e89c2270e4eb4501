package rules_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
	"github.com/kubegate/kubegate/rules"
)

// update rewrites golden files (testdata/rules/*/*.golden and
// docs/rules.md) instead of comparing with them.
var update = flag.Bool("update", false, "rewrite golden files")

// casesDir holds one directory per rule id, named after it.
const casesDir = "../testdata/rules"

// TestCases runs every built-in rule over every case under
// testdata/rules/<rule-id>/ and compares the findings of that rule with
// <case>.golden. A directory may hold params.json (and a case
// <case>.params.json) with the parameters its rule is configured with;
// disabled rules are enabled. Every rule needs a directory with at least one
// case that fires and one that does not.
func TestCases(t *testing.T) {
	ctx := context.Background()
	all, err := rules.Builtin(ctx)
	if err != nil {
		t.Fatalf("load built-in rules: %v", err)
	}
	byID := map[string]engine.Rule{}
	for _, r := range all {
		byID[r.Meta().ID] = r
	}

	entries, err := os.ReadDir(casesDir)
	if err != nil {
		t.Fatal(err)
	}
	dirs := map[string]bool{}
	for _, e := range entries {
		if !e.IsDir() {
			t.Errorf("%s: stray file %s; cases live in one directory per rule id", casesDir, e.Name())
			continue
		}
		dirs[e.Name()] = true
		if _, ok := byID[e.Name()]; !ok {
			t.Errorf("%s/%s: no built-in rule has id %q", casesDir, e.Name(), e.Name())
		}
	}
	for _, r := range all {
		if id := r.Meta().ID; !dirs[id] {
			t.Errorf("rule %s has no cases: add %s/%s/ with a firing and a non-firing case", id, casesDir, id)
		}
	}

	for _, id := range slices.Sorted(maps.Keys(dirs)) {
		if _, ok := byID[id]; !ok {
			continue
		}
		t.Run(id, func(t *testing.T) { runRuleCases(t, all, id) })
	}
}

func runRuleCases(t *testing.T, all []engine.Rule, id string) {
	dir := filepath.Join(casesDir, id)
	cases, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	goldens, _ := filepath.Glob(filepath.Join(dir, "*.golden"))
	for _, g := range goldens {
		if _, err := os.Stat(strings.TrimSuffix(g, ".golden") + ".yaml"); err != nil {
			t.Errorf("%s: golden without a case", g)
		}
	}
	dirParams, err := readParams(filepath.Join(dir, "params.json"))
	if err != nil {
		t.Fatal(err)
	}

	var firing, quiet int
	for _, file := range cases {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		params, err := readParams(strings.TrimSuffix(file, ".yaml") + ".params.json")
		if err != nil {
			t.Fatal(err)
		}
		if params == nil {
			params = dirParams
		}
		found := 0
		t.Run(name, func(t *testing.T) {
			lines := runCase(t, all, id, file, params)
			found = len(lines)
			checkGolden(t, strings.TrimSuffix(file, ".yaml")+".golden", lines)
		})
		if found > 0 {
			firing++
		} else {
			quiet++
		}
	}
	if firing == 0 {
		t.Errorf("%s: no case where %s fires", dir, id)
	}
	if quiet == 0 {
		t.Errorf("%s: no case where %s stays quiet (an empty .golden)", dir, id)
	}
}

// runCase parses one case file, runs every rule over it (the rule under
// test configured with params, if any) and returns the findings of rule id
// in golden form.
func runCase(t *testing.T, all []engine.Rule, id, file string, params map[string]any) []string {
	t.Helper()
	rs := slices.Clone(all)
	if params != nil {
		i := slices.IndexFunc(rs, func(r engine.Rule) bool { return r.Meta().ID == id })
		c, ok := rs[i].(engine.Configurable)
		if !ok {
			t.Fatalf("rule %s takes no parameters, but the case has some", id)
		}
		r, err := c.Configure(params)
		if err != nil {
			t.Fatalf("configure %s: %v", id, err)
		}
		rs[i] = r
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	objs, errs := manifest.NewParser(manifest.DefaultLimits()).Parse(filepath.Base(file), data)
	for _, e := range errs {
		t.Errorf("parse: %v", e)
	}
	if len(objs) == 0 {
		t.Fatalf("%s holds no objects", file)
	}
	res, err := engine.New(rs).Run(context.Background(), objs, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Errors {
		t.Errorf("rule error: %v", e)
	}
	var lines []string
	for _, f := range res.Findings {
		// Every finding of every rule, not only the one under test, must
		// point at a line and column: that is kubegate's promise.
		if f.Location.Line < 1 || f.Location.Column < 1 {
			t.Errorf("%s finding %q has no line and column: %+v", f.RuleID, f.Message, f.Location)
		}
		if f.RuleID != id {
			continue
		}
		lines = append(lines, fmt.Sprintf("%s:%d:%d: %s: %s [%s]", f.Location.File, f.Location.Line, f.Location.Column, f.Severity, f.Message, f.RuleID))
	}
	return lines
}

// readParams reads a JSON object of rule parameters; a missing file is nil.
func readParams(file string) (map[string]any, error) {
	b, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var params map[string]any
	if err := json.Unmarshal(b, &params); err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if params == nil {
		params = map[string]any{}
	}
	return params, nil
}

// checkGolden compares lines with the golden file, or rewrites it with
// -update. An empty golden file means no finding.
func checkGolden(t *testing.T, golden string, lines []string) {
	t.Helper()
	if *update {
		content := ""
		if len(lines) > 0 {
			content = strings.Join(lines, "\n") + "\n"
		}
		if err := os.WriteFile(golden, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./rules -run TestCases -update to create it)", err)
	}
	var want []string
	for l := range strings.SplitSeq(string(b), "\n") {
		if l != "" {
			want = append(want, l)
		}
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("findings differ from %s (-want +got):\n%s", golden, diff)
	}
}
