package cli

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// gcPercent reads the collector's current GOGC.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

func TestTuneGC(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, size int) string {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Repeat("#", size)), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	small := write("small/app.yaml", 2<<10)
	write("small/.git/pack.yaml", 2*smallInput) // hidden: the loader skips it
	write("small/image.tar", 2*smallInput)      // not a manifest
	large := write("large/all.yaml", smallInput+1)
	named := write("named.txt", smallInput+1) // named: read whatever its extension

	const before = 100
	for _, tc := range []struct {
		name  string
		gogc  string // "" for unset
		paths [][]string
		want  int
	}{
		{name: "a small file", paths: [][]string{{small}}, want: shortRunGCPercent},
		{name: "a small directory", paths: [][]string{{filepath.Join(dir, "small")}}, want: shortRunGCPercent},
		{name: "a large directory", paths: [][]string{{filepath.Join(dir, "small")}, {filepath.Join(dir, "large")}}, want: before},
		{name: "a large file", paths: [][]string{{large}}, want: before},
		{name: "a large file named", paths: [][]string{{small, named}}, want: before},
		{name: "stdin", paths: [][]string{{small, "-"}}, want: before},
		{name: "GOGC set", gogc: "100", paths: [][]string{{small}}, want: before},
		{name: "a missing file", paths: [][]string{{filepath.Join(dir, "missing.yaml")}}, want: shortRunGCPercent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOGC", tc.gogc)
			if tc.gogc == "" {
				if err := os.Unsetenv("GOGC"); err != nil {
					t.Fatal(err)
				}
			}
			debug.SetGCPercent(before)
			restore := tuneGC(tc.paths...)
			if got := gcPercent(); got != tc.want {
				t.Errorf("GOGC during the run = %d, want %d", got, tc.want)
			}
			restore()
			if got := gcPercent(); got != before {
				t.Errorf("GOGC after the run = %d, want %d back", got, before)
			}
		})
	}
}
