package rules_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/kubegate/kubegate/rules"
)

// parityDoc maps every built-in check of kube-linter, kube-score and
// Polaris to the kubegate rules that cover it.
const parityDoc = "../docs/parity.md"

// parityTarget is the floor for the share of the peers' checks that
// kubegate covers.
const parityTarget = 0.95

// ruleRefRE finds the rule ids of a table cell: each is a link into
// rules.md.
var ruleRefRE = regexp.MustCompile(`\[([a-z0-9-]+)\]\(rules\.md#([a-z0-9-]+)\)`)

// summaryRE is the line that states the coverage.
var summaryRE = regexp.MustCompile(`(?m)^Covered: (\d+) of (\d+) checks \((\d+)%\)\.$`)

// TestParityTable keeps docs/parity.md honest: every rule it names exists
// (and its link points at it), every row without a rule says why, the
// stated coverage is what the table holds, and it meets the target.
func TestParityTable(t *testing.T) {
	all, err := rules.Builtin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range all {
		ids[r.Meta().ID] = true
	}
	data, err := os.ReadFile(parityDoc)
	if err != nil {
		t.Fatal(err)
	}

	var total, covered int
	seen := map[string]bool{}
	tool := ""
	for n, line := range strings.Split(string(data), "\n") {
		where := fmt.Sprintf("%s:%d", parityDoc, n+1)
		if h, ok := strings.CutPrefix(line, "## "); ok {
			tool = h
			continue
		}
		cells := tableCells(line)
		if len(cells) == 0 || cells[0] == "check" || strings.HasPrefix(cells[0], "---") {
			continue
		}
		if len(cells) != 4 {
			t.Errorf("%s: want 4 cells (check, default there, kubegate, notes), got %d", where, len(cells))
			continue
		}
		check, ours, notes := cells[0], cells[2], cells[3]
		if key := tool + "/" + check; seen[key] {
			t.Errorf("%s: %s is listed twice", where, key)
		} else {
			seen[key] = true
		}
		total++
		refs := ruleRefRE.FindAllStringSubmatch(ours, -1)
		if len(refs) == 0 {
			if strings.TrimSpace(notes) == "" {
				t.Errorf("%s: %s has no kubegate rule and no note saying why", where, check)
			}
			continue
		}
		covered++
		for _, r := range refs {
			if r[1] != r[2] {
				t.Errorf("%s: link text %s points at #%s", where, r[1], r[2])
			}
			if !ids[r[1]] {
				t.Errorf("%s: %s names rule %s, which does not exist", where, check, r[1])
			}
		}
	}
	if total == 0 {
		t.Fatal("the parity table has no rows")
	}
	m := summaryRE.FindStringSubmatch(string(data))
	pct := covered * 100 / total
	if m == nil {
		t.Errorf("%s has no line %q", parityDoc, fmt.Sprintf("Covered: %d of %d checks (%d%%).", covered, total, pct))
	} else if m[1] != fmt.Sprint(covered) || m[2] != fmt.Sprint(total) || m[3] != fmt.Sprint(pct) {
		t.Errorf("%s says %q, but the table covers %d of %d (%d%%)", parityDoc, m[0], covered, total, pct)
	}
	if float64(covered) < parityTarget*float64(total) {
		t.Errorf("kubegate covers %d of the %d checks (%d%%), below the %.0f%% target", covered, total, pct, parityTarget*100)
	}
}

// tableCells splits a markdown table row into trimmed cells; nil when line
// is not a row. A "|" inside backticks does not occur in the table.
func tableCells(line string) []string {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "|") || !strings.HasSuffix(line, "|") {
		return nil
	}
	parts := strings.Split(line[1:len(line)-1], "|")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}
