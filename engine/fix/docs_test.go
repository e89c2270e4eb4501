package fix

import (
	"os"
	"strings"
	"testing"
)

// TestDocsListEveryFix keeps docs/fix.md in step with the code: a section
// for every rule with a fix, and a table row for every API move.
func TestDocsListEveryFix(t *testing.T) {
	b, err := os.ReadFile("../../docs/fix.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, id := range Rules() {
		if !strings.Contains(doc, "### `"+id+"`") && !strings.Contains(doc, "`"+id+"`,") && !strings.Contains(doc, ", `"+id+"`") {
			t.Errorf("docs/fix.md has no section for %s", id)
		}
	}
	lines := strings.Split(doc, "\n")
	for _, m := range apiMoves() {
		found := false
		for _, l := range lines {
			ok := strings.Contains(l, "| "+m.kind+" |") && strings.Contains(l, "| `"+m.to+"` |") && strings.HasSuffix(l, "| "+m.since.String()+" |")
			for _, from := range m.from {
				ok = ok && strings.Contains(l, "`"+from+"`")
			}
			found = found || ok
		}
		if !found {
			t.Errorf("docs/fix.md has no row for %v %s → %s (%s)", m.from, m.kind, m.to, m.since)
		}
	}
}
