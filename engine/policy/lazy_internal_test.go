package policy

import (
	"bytes"
	"context"
	"errors"
	"os"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
)

func builtinOptions() Options {
	return Options{Builtin: os.DirFS("../../rules/rego"), BuiltinPrefix: "rules/rego/"}
}

// hostNetworkDeployment breaks several built-in policies.
const hostNetworkDeployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  replicas: 3\n  template:\n    spec:\n      hostNetwork: true\n      containers: [{name: c, image: nginx:1.27}]\n"

// parseObjects parses manifest src, which must be valid.
func parseObjects(t *testing.T, src string) []*engine.Object {
	t.Helper()
	objs, errs := manifest.NewParser(manifest.DefaultLimits()).Parse("in.yaml", []byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return objs
}

// findingsOf runs set's rules over objs and returns "rule: message" for
// each finding; a rule error fails the test.
func findingsOf(t *testing.T, set *Set, objs []*engine.Object) []string {
	t.Helper()
	res, err := engine.New(set.Rules()).Run(context.Background(), objs, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		t.Fatalf("rule errors: %v", res.Errors)
	}
	var out []string
	for _, f := range res.Findings {
		out = append(out, f.RuleID+": "+f.Message)
	}
	return out
}

// TestEveryBuiltinPackageCompilesAlone: the built-in policies are compiled
// only for the kinds of a run, so each package must compile with nothing
// but the libraries.
func TestEveryBuiltinPackageCompilesAlone(t *testing.T) {
	set, err := Load(context.Background(), builtinOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(set.packages) < 2 {
		t.Fatalf("%d built-in packages; the test needs several", len(set.packages))
	}
	for _, p := range set.packages {
		t.Run(p.meta.ID, func(t *testing.T) {
			alone, err := Load(context.Background(), builtinOptions())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := alone.compile(func(q *pkgQuery) bool { return q.path == p.path }); err != nil {
				t.Fatalf("compile %s with the libraries only: %v", p.path, err)
			}
		})
	}
}

// TestBuiltinsCompileForTheKindsOfTheRun: a run compiles the packages of
// the kinds it holds, a later kind adds its own, and the findings are those
// of a set compiled at once.
func TestBuiltinsCompileForTheKindsOfTheRun(t *testing.T) {
	ctx := context.Background()
	configMap := parseObjects(t, "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n")
	deployment := parseObjects(t, hostNetworkDeployment)
	role := parseObjects(t, "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules:\n- apiGroups: ['*']\n  resources: ['*']\n  verbs: ['*']\n")

	lazy, err := Load(ctx, builtinOptions())
	if err != nil {
		t.Fatal(err)
	}
	// Users' policies make a set compile everything at load; a library
	// alone adds no rule.
	libDir := t.TempDir()
	if err := os.WriteFile(libDir+"/lib.rego", []byte("package userlib\n\nanswer := 42\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	opts := builtinOptions()
	opts.Dirs = []string{libDir}
	eager, err := Load(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(eager.compiled) != len(eager.packages) {
		t.Fatalf("a set with users' policies compiled %d of %d packages at load", len(eager.compiled), len(eager.packages))
	}

	// compiledFor lists the packages that apply to one of objs' kinds.
	compiledFor := func(objs ...*engine.Object) []string {
		var out []string
		for _, p := range lazy.packages {
			if slices.ContainsFunc(objs, func(o *engine.Object) bool { return p.meta.MatchesKind(o.GVK) }) {
				out = append(out, p.path)
			}
		}
		return out
	}
	compiled := func() []string {
		var out []string
		for _, p := range lazy.packages {
			if lazy.compiled[p.path] {
				out = append(out, p.path)
			}
		}
		return out
	}

	if got := findingsOf(t, lazy, configMap); len(got) != 0 {
		t.Errorf("ConfigMap: findings %v, want none from the built-in policies", got)
	}
	if lazy.compiler != nil {
		t.Errorf("a run of ConfigMaps compiled %v; no policy applies to them", compiled())
	}

	for _, step := range []struct {
		name string
		objs []*engine.Object
		seen []*engine.Object // every object run so far
	}{
		{name: "Deployment", objs: deployment, seen: deployment},
		{name: "Role", objs: role, seen: append(slices.Clone(deployment), role...)},
	} {
		got := findingsOf(t, lazy, step.objs)
		if diff := cmp.Diff(findingsOf(t, eager, step.objs), got); diff != "" {
			t.Errorf("%s: findings of the lazy set (-eager +lazy):\n%s", step.name, diff)
		}
		if len(got) == 0 {
			t.Errorf("%s: no findings; the test objects are meant to break built-in policies", step.name)
		}
		if diff := cmp.Diff(compiledFor(step.seen...), compiled()); diff != "" {
			t.Errorf("%s: compiled packages (-want +got):\n%s", step.name, diff)
		}
		if n := len(compiled()); n == len(lazy.packages) {
			t.Errorf("%s: all %d packages compiled", step.name, n)
		}
	}
}

// TestBuiltinIndex: with an index of the built-in policies, a load parses
// nothing, a run parses only the libraries and the packages of its kinds,
// and the findings are those of a set that parsed everything. An index
// built from other files is not used.
func TestBuiltinIndex(t *testing.T) {
	ctx := context.Background()
	idx, err := BuildIndex(builtinOptions())
	if err != nil {
		t.Fatal(err)
	}
	deployment := parseObjects(t, hostNetworkDeployment)

	parsed, err := Load(ctx, builtinOptions())
	if err != nil {
		t.Fatal(err)
	}
	opts := builtinOptions()
	opts.BuiltinIndex = idx
	indexed, err := Load(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if indexed.modules != nil {
		t.Fatalf("a load with a matching index parsed %d modules", len(indexed.modules))
	}
	want := findingsOf(t, parsed, deployment)
	if len(want) == 0 {
		t.Fatal("no findings; the Deployment is meant to break built-in policies")
	}
	if diff := cmp.Diff(want, findingsOf(t, indexed, deployment)); diff != "" {
		t.Errorf("findings (-parsed +indexed):\n%s", diff)
	}
	if n, all := len(indexed.compiler.Modules), len(indexed.sources); n == 0 || n >= all {
		t.Errorf("the run compiled %d of %d modules; want the libraries and the Deployment's packages only", n, all)
	}

	stale := bytes.Replace(idx, []byte(`"Sources": "`), []byte(`"Sources": "0`), 1)
	opts.BuiltinIndex = stale
	fallback, err := Load(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if fallback.modules == nil {
		t.Error("a load with an index of other files used it")
	}
	if diff := cmp.Diff(want, findingsOf(t, fallback, deployment)); diff != "" {
		t.Errorf("findings after a stale index (-parsed +fallback):\n%s", diff)
	}
}

// TestBuildIndexRefusesMetadataCalls: runs parse the built-in policies
// without METADATA, so one that reads it is refused when the index is
// built (which TestRegoIndex does for the real policies).
func TestBuildIndexRefusesMetadataCalls(t *testing.T) {
	dir := t.TempDir()
	src := "package kubegate.rules.meta\n\n# METADATA\n# title: t\ndeny contains msg if {\n\tmsg := rego.metadata.rule().title\n}\n"
	if err := os.WriteFile(dir+"/meta.rego", []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := BuildIndex(Options{Builtin: os.DirFS(dir), BuiltinPrefix: "rules/rego/"})
	var ce *CompileError
	if !errors.As(err, &ce) || len(ce.Errors) != 1 || ce.Errors[0].File != "rules/rego/meta.rego" || ce.Errors[0].Line != 6 {
		t.Fatalf("BuildIndex: got %v, want one error at rules/rego/meta.rego:6", err)
	}
}
