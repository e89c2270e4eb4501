package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestBundles lints the realistic multi-object bundles under
// testdata/bundles/<bundle>/ as a user would, one directory per run, with the
// default rules. The clean variant follows best practice and must draw no
// error finding (its whole output is kept in clean.golden, so a new warning
// shows up in review). The broken variant must fail at warning level, and every rule listed
// in broken.expect (one id per line, # comments) must fire on it: that file
// names at least one rule of each family, so a family that stops firing on
// the mistakes it exists for fails the test.
func TestBundles(t *testing.T) {
	repoRoot(t)
	bundles, err := filepath.Glob("testdata/bundles/*")
	if err != nil {
		t.Fatal(err)
	}
	if len(bundles) == 0 {
		t.Fatal("no bundles under testdata/bundles")
	}
	for _, b := range bundles {
		t.Run(filepath.Base(b), func(t *testing.T) {
			for _, variant := range []string{"clean", "broken"} {
				dir := filepath.Join(b, variant)
				// The broken variants fail on warnings too: not every
				// mistake is one the API server rejects.
				failOn := map[string]string{"clean": "error", "broken": "warning"}[variant]
				code, out, errOut := run(t, "", "lint", "--no-color", "--fail-on", failOn, dir)
				bundleGolden(t, filepath.Join(b, variant+".golden"), out)
				if errOut != "" {
					t.Errorf("%s: stderr: %s", dir, errOut)
				}
				switch variant {
				case "clean":
					if code != ExitOK {
						t.Errorf("%s: exit code %d, want %d: a best-practice bundle draws no error\n%s", dir, code, ExitOK, out)
					}
				case "broken":
					if code != ExitFindings {
						t.Errorf("%s: exit code %d, want %d", dir, code, ExitFindings)
					}
					checkExpected(t, dir, filepath.Join(b, "broken.expect"))
				}
			}
		})
	}
}

// checkExpected lints dir as JSON and checks that every rule named in the
// expect file fires.
func checkExpected(t *testing.T, dir, expectFile string) {
	t.Helper()
	data, err := os.ReadFile(expectFile)
	if err != nil {
		t.Fatalf("read expectations: %v", err)
	}
	var want []string
	for line := range strings.Lines(string(data)) {
		line, _, _ = strings.Cut(line, "#")
		if id := strings.TrimSpace(line); id != "" {
			want = append(want, id)
		}
	}
	if len(want) == 0 {
		t.Fatalf("%s names no rule", expectFile)
	}
	_, out, _ := run(t, "", "lint", "-o", "json", dir)
	var report struct {
		Findings []struct {
			Rule string `json:"rule"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("decode JSON report: %v", err)
	}
	var fired []string
	for _, f := range report.Findings {
		fired = append(fired, f.Rule)
	}
	for _, id := range want {
		if !slices.Contains(fired, id) {
			t.Errorf("%s: rule %s does not fire (%s expects it)", dir, id, expectFile)
		}
	}
}

// bundleGolden compares got with a golden file that lives beside the bundle.
func bundleGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the output (run with -update and review):\n%s", path, got)
	}
}
