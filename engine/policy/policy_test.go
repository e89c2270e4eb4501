package policy_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
	"github.com/kubegate/kubegate/engine/policy"
)

func builtinOpts(dirs ...string) policy.Options {
	return policy.Options{Builtin: os.DirFS("../../rules/rego"), BuiltinPrefix: "rules/rego/", Dirs: dirs}
}

func lint(t *testing.T, opts policy.Options, file string) []string {
	t.Helper()
	ctx := context.Background()
	set, err := policy.Load(ctx, opts)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	objs, errs := manifest.NewParser(manifest.DefaultLimits()).Parse("objects.yaml", data)
	if len(errs) > 0 {
		t.Fatalf("parse: %v", errs)
	}
	res, err := engine.New(set.Rules()).Run(ctx, objs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("rule errors: %v", res.Errors)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, fmt.Sprintf("%s:%d:%d: %s: %s [%s] %s", f.Location.File, f.Location.Line, f.Location.Column, f.Severity, f.Message, f.RuleID, f.Path))
	}
	return got
}

func TestUserPolicies(t *testing.T) {
	// The user policy and the built-in rules this file was written for;
	// the security rules' many findings on it are tested elsewhere.
	var got []string
	for _, l := range lint(t, builtinOpts("testdata/policies/user"), "testdata/objects.yaml") {
		if strings.Contains(l, "[team-label]") || strings.Contains(l, "[job-restart-policy]") {
			got = append(got, l)
		}
	}
	want := []string{
		// A string result has no path: it points at the object.
		`objects.yaml:1:1: warning: container "app" uses a latest tag [team-label] `,
		// metadata.labels is missing: the finding points at metadata.
		`objects.yaml:26:1: warning: Service "web" has no team label [team-label] metadata.labels`,
		// data.inventory: the orphan Service selects nothing.
		`objects.yaml:40:3: warning: service "orphan" selects no Deployment in namespace "shop" [team-label] spec.selector`,
		"objects.yaml:48:5: error: Job pod template sets no restartPolicy; it defaults to Always, which the API server rejects for Jobs [job-restart-policy] spec.template.spec",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestCompileErrorIsLocated(t *testing.T) {
	_, err := policy.Load(context.Background(), policy.Options{Dirs: []string{"testdata/policies/broken"}})
	var ce *policy.CompileError
	if !errors.As(err, &ce) {
		t.Fatalf("Load error = %v, want *CompileError", err)
	}
	if len(ce.Errors) == 0 || ce.Errors[0].File != "testdata/policies/broken/bad.rego" || ce.Errors[0].Line != 4 {
		t.Errorf("errors = %v, want one at testdata/policies/broken/bad.rego:4", ce.Errors)
	}
}

func TestRunTests(t *testing.T) {
	var out bytes.Buffer
	sum, err := policy.RunTests(context.Background(), builtinOpts("testdata/policies/user"), &out, false)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Passed != 2 || sum.Failed != 0 {
		t.Errorf("summary = %+v, output:\n%s", sum, out.String())
	}
}

func TestRegoV0PoliciesStillLoad(t *testing.T) {
	set, err := policy.Load(context.Background(), policy.Options{Dirs: []string{"testdata/policies/v0"}})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	rules := set.Rules()
	if len(rules) != 1 || rules[0].Meta().ID != "main" || rules[0].Meta().Severity != engine.Error {
		t.Fatalf("rules = %v, want one error rule with id main", rules)
	}
}

func TestMetadataErrors(t *testing.T) {
	dir := t.TempDir()
	src := "# METADATA\n# custom:\n#   severity: fatal\npackage p\n\ndeny contains \"x\" if { input.kind == \"Pod\" }\n"
	if err := os.WriteFile(dir+"/p.rego", []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := policy.Load(context.Background(), policy.Options{Dirs: []string{dir}})
	var ce *policy.CompileError
	if !errors.As(err, &ce) || ce.Errors[0].Line != 1 || !strings.Contains(ce.Errors[0].Error(), "severity") {
		t.Fatalf("Load error = %v, want a located severity error", err)
	}
}

func TestEmptyPolicyDirIsAnError(t *testing.T) {
	_, err := policy.Load(context.Background(), policy.Options{Dirs: []string{t.TempDir()}})
	var ce *policy.CompileError
	if !errors.As(err, &ce) {
		t.Fatalf("Load error = %v, want *CompileError", err)
	}
}

func TestBuiltinPolicyTests(t *testing.T) {
	var out bytes.Buffer
	sum, err := policy.RunTests(context.Background(), builtinOpts(), &out, false)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 0 || sum.Errored != 0 || sum.Passed == 0 {
		t.Errorf("summary = %+v, output:\n%s", sum, out.String())
	}
}

func TestOneFailingPolicyDoesNotSilenceTheOthers(t *testing.T) {
	ctx := context.Background()
	opts := builtinOpts()
	opts.Dirs = []string{"testdata/policies/conflict.rego"}
	set, err := policy.Load(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	src := "apiVersion: batch/v1\nkind: Job\nmetadata: {name: twice}\nspec:\n  template:\n    spec:\n      containers: [{name: c}]\n"
	objs, _ := manifest.NewParser(manifest.DefaultLimits()).Parse("j.yaml", []byte(src))
	res, err := engine.New(set.Rules()).Run(ctx, objs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || res.Errors[0].RuleID != "conflict" {
		t.Errorf("errors = %v, want one from the conflict policy", res.Errors)
	}
	// The other built-in policies still report: job-restart-policy among
	// them.
	found := false
	for _, f := range res.Findings {
		found = found || f.RuleID == "job-restart-policy"
	}
	if !found {
		t.Errorf("findings = %v, want a job-restart-policy finding", res.Findings)
	}
}

func TestInventoryFollowsEachRun(t *testing.T) {
	ctx := context.Background()
	set, err := policy.Load(ctx, builtinOpts("testdata/policies/user"))
	if err != nil {
		t.Fatal(err)
	}
	p := manifest.NewParser(manifest.DefaultLimits())
	svc := "apiVersion: v1\nkind: Service\nmetadata: {name: s, labels: {team: a}}\nspec:\n  selector: {app: x}\n"
	deploy := "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, labels: {team: a}}\nspec:\n  template:\n    metadata: {labels: {app: x}}\n    spec:\n      containers: [{name: c, image: nginx:1.27}]\n"
	e := engine.New(set.Rules())
	count := func(src string) int {
		objs, errs := p.Parse("in.yaml", []byte(src))
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		res, err := e.Run(ctx, objs, nil)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range res.Findings {
			if strings.Contains(f.Message, "selects no Deployment") {
				n++
			}
		}
		return n
	}
	if got := count(svc); got != 1 {
		t.Errorf("service alone: %d findings, want 1", got)
	}
	if got := count(svc + deploy); got != 0 {
		t.Errorf("service with its deployment: %d findings, want 0 (stale inventory?)", got)
	}
	if got := count(svc); got != 1 {
		t.Errorf("service alone again: %d findings, want 1 (stale inventory?)", got)
	}
}

// TestWarnIsAtMostWarning: deny reports at the rule's severity, warn at
// most at warning (the built-in probe-timing-values showed it until it was
// ported to Go).
func TestWarnIsAtMostWarning(t *testing.T) {
	dir := t.TempDir()
	src := "# METADATA\n# custom:\n#   id: sev\n#   severity: error\npackage sev\n\n" +
		"deny contains \"denied\" if { input.kind == \"Pod\" }\n\n" +
		"warn contains \"warned\" if { input.kind == \"Pod\" }\n"
	if err := os.WriteFile(dir+"/sev.rego", []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	set, err := policy.Load(context.Background(), policy.Options{Dirs: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	objs, errs := manifest.NewParser(manifest.DefaultLimits()).Parse("pod.yaml", []byte("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	res, err := engine.New(set.Rules()).Run(context.Background(), objs, nil)
	if err != nil {
		t.Fatal(err)
	}
	sev := map[string]engine.Severity{}
	for _, f := range res.Findings {
		sev[f.Message] = f.Severity
	}
	want := map[string]engine.Severity{"denied": engine.Error, "warned": engine.Warning}
	if diff := cmp.Diff(want, sev); diff != "" {
		t.Errorf("severities (-want +got):\n%s", diff)
	}
}
