package rules_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
	"github.com/kubegate/kubegate/rules"
)

// TestIgnoreAnnotationKnowsPolicies checks that ignore-annotation accepts
// the IDs of the users' policies loaded with the built-in rules, and only
// when they are loaded.
func TestIgnoreAnnotationKnowsPolicies(t *testing.T) {
	dir := t.TempDir()
	policy := "# METADATA\n# title: Team rule\n# custom:\n#   id: team-rule\n#   severity: warning\npackage team\n\ndeny contains \"no\" if { false }\n"
	if err := os.WriteFile(filepath.Join(dir, "team.rego"), []byte(policy), 0o600); err != nil {
		t.Fatal(err)
	}
	objs, errs := manifest.NewParser(manifest.DefaultLimits()).Parse("in.yaml", []byte(
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  annotations: {kubegate.io/ignore: \"team-rule, ignore-annotation\"}\n"))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	tests := []struct {
		name       string
		policyDirs []string
		want       []string
	}{
		{name: "policy loaded", policyDirs: []string{dir}, want: nil},
		{name: "policy not loaded", policyDirs: nil, want: []string{
			`kubegate.io/ignore names rule "team-rule", which kubegate does not know; its findings are not suppressed`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all, err := rules.Load(context.Background(), tt.policyDirs)
			if err != nil {
				t.Fatal(err)
			}
			last := all[len(all)-1]
			if last.Meta().ID != "ignore-annotation" {
				t.Fatalf("last rule is %s, want ignore-annotation", last.Meta().ID)
			}
			fs, err := last.Check(context.Background(), objs[0], engine.NewInventory(objs))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range fs {
				got = append(got, f.Message)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("messages (-want +got):\n%s", diff)
			}
		})
	}
}
