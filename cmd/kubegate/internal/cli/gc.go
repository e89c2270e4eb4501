package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/kubegate/kubegate/engine/manifest"
)

// smallInput is the most manifest bytes a lint may read and still have the
// garbage collector tuned for a short run. Manifests are a few kilobytes
// each: this is a commit's worth of them, or a small application's, well
// below the size at which a run's memory is mostly its input.
const smallInput = 256 << 10

// shortRunGCPercent is GOGC for a short run. A single-file lint allocates
// some tens of megabytes that are garbage by the end (the rule set, the
// policies' compile, the schemas of its kinds), and at the default of 100
// with the runtime's 4 MB minimum heap the collector runs again and again
// over them: a quarter of the run's wall time on two cores. At 400 the heap
// may reach five times the live data instead of twice; for a small input
// that is a few megabytes more (measured: 59 MB peak RSS against 61 MB).
const shortRunGCPercent = 400

// defaultGC puts the collector back to Go's default (GOGC=100) unless the
// environment sets GOGC: package startgc raised it for the process start
// only, and a long run (a large lint, a server) must keep its memory
// bounded as usual.
func defaultGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(100)
	}
}

// tuneGC makes the garbage collector run less often when the input is
// small, and returns what puts it back. It leaves the collector alone when
// GOGC is set (the user has chosen), when stdin is read (its size is not
// known beforehand), and when the files to read add up to more than
// smallInput, so that large runs keep their memory bounded as before. The
// files are counted as the loader will read them: files named on the
// command line whatever their extension, and manifest files in directories
// outside hidden ones.
func tuneGC(paths ...[]string) (restore func()) {
	keep := func() {}
	if _, set := os.LookupEnv("GOGC"); set {
		return keep
	}
	var total int64
	errLarge := errors.New("input larger than smallInput")
	for _, list := range paths {
		for _, arg := range list {
			if arg == "-" {
				return keep
			}
			err := filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
				switch {
				case err != nil:
					// The loader reports what cannot be read.
					return nil
				case d.IsDir():
					if p != arg && strings.HasPrefix(d.Name(), ".") {
						return filepath.SkipDir
					}
					return nil
				case p != arg && !manifest.IsManifestFile(p):
					return nil
				}
				info, err := d.Info()
				if err != nil {
					return nil
				}
				if total += info.Size(); total > smallInput {
					return errLarge
				}
				return nil
			})
			if err != nil {
				return keep
			}
		}
	}
	prev := debug.SetGCPercent(shortRunGCPercent)
	return func() { debug.SetGCPercent(prev) }
}
