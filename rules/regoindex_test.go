package rules_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/policy"
	"github.com/kubegate/kubegate/rules"
)

// TestRegoIndex keeps regoindex.json the description of rules/rego: a
// stale index is not used (the policies are parsed instead), so this is
// what makes the index pay.
func TestRegoIndex(t *testing.T) {
	opts := rules.PolicyOptions(nil)
	opts.BuiltinIndex = nil
	want, err := policy.BuildIndex(opts)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("regoindex.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := rules.PolicyOptions(nil).BuiltinIndex; !bytes.Equal(got, want) {
		t.Errorf("regoindex.json is stale; run go test ./rules -run TestRegoIndex -update\n%s", cmp.Diff(string(want), string(got)))
	}
}

// TestRegoIndexGivesTheParsedRules: the built-in rules read from the index
// are those read by parsing every policy.
func TestRegoIndexGivesTheParsedRules(t *testing.T) {
	ctx := context.Background()
	metas := func(opts policy.Options) []engine.Meta {
		t.Helper()
		set, err := policy.Load(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		var out []engine.Meta
		for _, r := range set.Rules() {
			out = append(out, r.Meta())
		}
		return out
	}
	parsed := rules.PolicyOptions(nil)
	parsed.BuiltinIndex = nil
	if diff := cmp.Diff(metas(parsed), metas(rules.PolicyOptions(nil))); diff != "" {
		t.Errorf("rules from the index differ from the parsed ones (-parsed +index):\n%s", diff)
	}
}
