package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/kubegate/kubegate/engine"
)

var regoMetadataRef = ast.MustParseRef("rego.metadata")

// packageDesc is what Load needs of a policy package with entry points
// before anything is compiled: its path, files, entry points and METADATA.
type packageDesc struct {
	Path    string
	Files   []string
	Entries []string // in entryPoints order
	Meta    engine.Meta
}

// index describes the built-in policies so that a run need not parse all
// of them to list its rules: parsing them was a quarter of a single-file
// lint's wall time. Sources fingerprints the files it was built from.
type index struct {
	Sources  string
	Packages []packageDesc
}

// BuildIndex parses opts.Builtin (opts.Dirs are ignored) and returns the
// index Options.BuiltinIndex takes, as indented JSON.
func BuildIndex(opts Options) ([]byte, error) {
	opts.Dirs = nil
	srcs, err := readSources(opts, false)
	if err != nil {
		return nil, err
	}
	modules, err := parseModules(srcs, true)
	if err != nil {
		return nil, err
	}
	// A run parses the built-in policies without their METADATA, which
	// rego.metadata.rule and rego.metadata.chain would then miss.
	for _, name := range slices.Sorted(maps.Keys(modules)) {
		var found *ast.Location
		ast.WalkTerms(modules[name], func(t *ast.Term) bool {
			if r, ok := t.Value.(ast.Ref); ok && found == nil && r.HasPrefix(regoMetadataRef) {
				found = t.Location
			}
			return found != nil
		})
		if found != nil {
			return nil, &CompileError{Errors: []*engine.FileError{{
				Location: engine.Location{File: name, Line: found.Row, Column: found.Col},
				Err:      errors.New("a built-in policy may not call rego.metadata: runs parse built-in policies without their METADATA"),
			}}}
		}
	}
	descs, err := describe(modules, opts)
	if err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(index{Sources: fingerprint(srcs), Packages: descs}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode policy index: %w", err)
	}
	return append(b, '\n'), nil
}

// indexed returns the packages opts.BuiltinIndex describes, when there are
// no users' policies (those are parsed and compiled with the built-in ones)
// and the index was built from exactly srcs. Otherwise the caller parses.
func indexed(opts Options, srcs []source) ([]packageDesc, bool) {
	if len(opts.Dirs) > 0 || opts.BuiltinIndex == nil {
		return nil, false
	}
	var idx index
	if err := json.Unmarshal(opts.BuiltinIndex, &idx); err != nil {
		return nil, false
	}
	if idx.Sources != fingerprint(srcs) {
		return nil, false
	}
	return idx.Packages, true
}

// fingerprint hashes the sources' names and contents, in order.
func fingerprint(srcs []source) string {
	h := sha256.New()
	for _, s := range srcs {
		h.Write([]byte(s.name + "\x00" + strconv.Itoa(len(s.data)) + "\x00"))
		h.Write(s.data)
	}
	return hex.EncodeToString(h.Sum(nil))
}
