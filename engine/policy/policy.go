package policy

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/kubegate/kubegate/engine"
)

// Options says where policies come from.
type Options struct {
	// Builtin holds kubegate's embedded policies (rules/rego); nil for none.
	Builtin fs.FS
	// BuiltinPrefix is prepended to Builtin's file names in rule sources and
	// error locations ("rules/rego/").
	BuiltinPrefix string
	// Dirs are users' policy directories or files (--policy), read
	// recursively for .rego files.
	Dirs []string
	// DocURL gives the documentation URL of a rule whose METADATA names
	// none (kubegate's own rules point at docs/rules.md).
	DocURL func(id string) string
}

// CompileError lists every problem that kept the policies from compiling,
// each at its file, line and column.
type CompileError struct {
	Errors []*engine.FileError
}

func (e *CompileError) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		msgs[i] = fe.Error()
	}
	return "compile policies: " + strings.Join(msgs, "; ")
}

// entryPoints are the rule names a policy package reports through, with the
// severity their findings get when METADATA sets none.
var entryPoints = []struct {
	name     string
	severity engine.Severity
}{
	{"deny", engine.Error},
	{"violation", engine.Error},
	{"warn", engine.Warning},
}

// Set is a compiled set of policies. Its rules share one prepared query,
// evaluated once per object, and one store holding data.inventory.
//
// Runs that share a Set must not overlap when a policy reads
// data.inventory: the inventory lives in the Set's store. Lint has one run;
// the webhook and the API core publish their store once and update it.
type Set struct {
	rules []engine.Rule
	// compiler holds every module, compiled once; the per-kind queries are
	// prepared against it.
	compiler *ast.Compiler
	// packages are the policy packages in order, with the kinds they apply
	// to and the query expressions of their entry points.
	packages []pkgQuery
	// byKind caches, per group/version/kind, the query over the packages
	// that apply to that kind: an object is evaluated only by the policies
	// of its kind, so fifty pod policies cost a ConfigMap nothing.
	byKindMu sync.Mutex
	byKind   map[engine.GVK]*kindQuery
	// perPackage holds one prepared query per package, used only when the
	// combined query fails on an object, to say which policy failed.
	perPackage map[string]rego.PreparedEvalQuery
	// bindings maps each package to the query variables of its entry points.
	bindings map[string][]binding
	store    storage.Store
	// usesInventory is set when a policy reads data.inventory; only then is
	// the inventory converted and stored.
	usesInventory bool

	mu      sync.Mutex
	lastInv engine.Inventory
}

// pkgQuery is one package's share of the combined query.
type pkgQuery struct {
	path    string
	meta    engine.Meta
	queries []string
}

// kindQuery is the prepared query for one kind, prepared on first use.
type kindQuery struct {
	once  sync.Once
	query rego.PreparedEvalQuery
	empty bool // no package applies to the kind
	err   error
}

type binding struct {
	variable string
	entry    string
	severity engine.Severity
}

// source is one .rego file.
type source struct {
	name string // as reported: rules/rego/x.rego or the user's path
	data []byte
}

// Load reads and compiles every policy once, in strict mode, and prepares
// the one query that evaluates them. A parse or compile error is a
// *CompileError with every problem located.
func Load(ctx context.Context, opts Options) (*Set, error) {
	srcs, err := readSources(opts, false)
	if err != nil {
		return nil, err
	}
	modules, err := parseModules(srcs)
	if err != nil {
		return nil, err
	}
	compiler := ast.NewCompiler().WithStrict(true)
	compiler.Compile(modules)
	if compiler.Failed() {
		return nil, compileError(compiler.Errors)
	}

	s := &Set{
		compiler:   compiler,
		byKind:     map[engine.GVK]*kindQuery{},
		bindings:   map[string][]binding{},
		perPackage: map[string]rego.PreparedEvalQuery{},
		store:      inmem.NewWithOpts(inmem.OptRoundTripOnWrite(false), inmem.OptReturnASTValuesOnRead(true)),
	}
	pkgs := packages(compiler)
	var query []string
	pkgQueries := map[string][]string{}
	for i, pkg := range pkgs {
		meta, err := packageMeta(compiler, pkg, opts)
		if err != nil {
			return nil, err
		}
		for _, ep := range entryPoints {
			if !pkg.entries[ep.name] {
				continue
			}
			v := fmt.Sprintf("p%d_%s", i, ep.name)
			// deny and violation report at the rule's severity; warn at
			// most at warning.
			sev := meta.Severity
			if ep.name == "warn" && sev > engine.Warning {
				sev = engine.Warning
			}
			// A comprehension is never undefined, so one package's empty
			// or undefined entry point cannot hide the others' results.
			q := fmt.Sprintf("%s := [x | some x in %s.%s]", v, pkg.path, ep.name)
			query = append(query, q)
			pkgQueries[pkg.path.String()] = append(pkgQueries[pkg.path.String()], q)
			s.bindings[pkg.path.String()] = append(s.bindings[pkg.path.String()], binding{variable: v, entry: ep.name, severity: sev})
		}
		s.packages = append(s.packages, pkgQuery{path: pkg.path.String(), meta: meta, queries: pkgQueries[pkg.path.String()]})
		s.rules = append(s.rules, &regoRule{meta: meta, pkg: pkg.path.String(), set: s})
		s.usesInventory = s.usesInventory || pkg.usesInventory
	}
	if len(query) == 0 {
		return s, nil
	}
	// Preparing the whole query once checks that every entry point
	// compiles into a query, so a per-kind query cannot fail later for a
	// reason that would have shown here.
	if _, err := s.prepare(ctx, query); err != nil {
		return nil, fmt.Errorf("prepare policies: %w", err)
	}
	for pkg, q := range pkgQueries {
		if s.perPackage[pkg], err = s.prepare(ctx, q); err != nil {
			return nil, fmt.Errorf("prepare policy %s: %w", pkg, err)
		}
	}
	return s, nil
}

func (s *Set) prepare(ctx context.Context, q []string) (rego.PreparedEvalQuery, error) {
	return rego.New(
		rego.Query(strings.Join(q, "; ")),
		rego.Compiler(s.compiler),
		rego.Store(s.store),
	).PrepareForEval(ctx)
}

// queryFor returns the query over the packages that apply to gvk,
// preparing it on first use; ok is false when none applies.
func (s *Set) queryFor(ctx context.Context, gvk engine.GVK) (q rego.PreparedEvalQuery, ok bool, err error) {
	s.byKindMu.Lock()
	kq := s.byKind[gvk]
	if kq == nil {
		kq = &kindQuery{}
		s.byKind[gvk] = kq
	}
	s.byKindMu.Unlock()
	kq.once.Do(func() {
		var parts []string
		for _, p := range s.packages {
			if p.meta.MatchesKind(gvk) {
				parts = append(parts, p.queries...)
			}
		}
		if len(parts) == 0 {
			kq.empty = true
			return
		}
		kq.query, kq.err = s.prepare(ctx, parts)
	})
	return kq.query, !kq.empty, kq.err
}

// Rules returns one engine.Rule per policy package that has deny, violation
// or warn rules, ordered by rule ID.
func (s *Set) Rules() []engine.Rule { return s.rules }

// pkgInfo is one policy package with entry points.
type pkgInfo struct {
	path          ast.Ref
	entries       map[string]bool
	files         []string
	usesInventory bool
}

var inventoryRef = ast.MustParseRef("data.inventory")

// packages finds the packages that define deny, violation or warn, in a
// deterministic order.
func packages(c *ast.Compiler) []*pkgInfo {
	byPath := map[string]*pkgInfo{}
	names := make([]string, 0, len(c.Modules))
	for name := range c.Modules {
		names = append(names, name)
	}
	sort.Strings(names)
	var order []string
	for _, name := range names {
		m := c.Modules[name]
		key := m.Package.Path.String()
		info := byPath[key]
		if info == nil {
			info = &pkgInfo{path: m.Package.Path, entries: map[string]bool{}}
			byPath[key] = info
			order = append(order, key)
		}
		info.files = append(info.files, name)
		for _, r := range m.Rules {
			head := r.Head.Ref()
			if len(head) == 0 {
				continue
			}
			if v, ok := head[0].Value.(ast.Var); ok {
				for _, ep := range entryPoints {
					if string(v) == ep.name {
						info.entries[ep.name] = true
					}
				}
			}
		}
		ast.WalkRefs(m, func(r ast.Ref) bool {
			if r.HasPrefix(inventoryRef) || inventoryRef.HasPrefix(r) && len(r) > 1 {
				info.usesInventory = true
			}
			return false
		})
	}
	var out []*pkgInfo
	for _, k := range order {
		if len(byPath[k].entries) > 0 {
			out = append(out, byPath[k])
		}
	}
	return out
}

// packageMeta reads a package's METADATA into an engine.Meta.
func packageMeta(c *ast.Compiler, pkg *pkgInfo, opts Options) (engine.Meta, error) {
	id := strings.TrimPrefix(pkg.path.String(), "data.")
	meta := engine.Meta{ID: id, Title: id, Severity: engine.Error, Source: pkg.files[0]}
	if !pkg.entries["deny"] && !pkg.entries["violation"] {
		meta.Severity = engine.Warning
	}
	var ann *ast.Annotations
	for _, name := range pkg.files {
		if a := c.GetAnnotationSet().GetPackageScope(c.Modules[name].Package); a != nil {
			ann = a
			meta.Source = name
			break
		}
	}
	if ann == nil {
		if opts.DocURL != nil && strings.HasPrefix(meta.Source, opts.BuiltinPrefix) && opts.BuiltinPrefix != "" {
			meta.DocURL = opts.DocURL(meta.ID)
		}
		return meta, nil
	}
	at := func(format string, args ...any) error {
		loc := engine.Location{File: meta.Source}
		if ann.Location != nil {
			loc.Line, loc.Column = ann.Location.Row, ann.Location.Col
		}
		return &CompileError{Errors: []*engine.FileError{{Location: loc, Err: fmt.Errorf(format, args...)}}}
	}
	if ann.Title != "" {
		meta.Title = ann.Title
	}
	meta.Description = strings.TrimSpace(ann.Description)
	for _, rr := range ann.RelatedResources {
		if rr != nil && rr.Ref.String() != "" {
			meta.DocURL = rr.Ref.String()
			break
		}
	}
	for k, v := range ann.Custom {
		switch k {
		case "id":
			s, ok := v.(string)
			if !ok || s == "" {
				return meta, at("METADATA custom.id must be a non-empty string")
			}
			meta.ID = s
		case "severity":
			s, _ := v.(string)
			sev, err := engine.ParseSeverity(s)
			if err != nil {
				return meta, at("METADATA custom.severity: %v", err)
			}
			meta.Severity = sev
		case "remediation":
			s, ok := v.(string)
			if !ok {
				return meta, at("METADATA custom.remediation must be a string")
			}
			meta.Remediation = strings.TrimSpace(s)
		case "kinds":
			list, ok := v.([]any)
			if !ok {
				return meta, at("METADATA custom.kinds must be a list of kinds")
			}
			for _, item := range list {
				s, ok := item.(string)
				if !ok {
					return meta, at("METADATA custom.kinds must be a list of kinds")
				}
				meta.Kinds = append(meta.Kinds, s)
			}
		case "disabled":
			b, ok := v.(bool)
			if !ok {
				return meta, at("METADATA custom.disabled must be true or false")
			}
			meta.Disabled = b
		default:
			// Other custom keys belong to the policy's authors.
		}
	}
	if meta.Title == "" {
		meta.Title = meta.ID
	}
	if meta.DocURL == "" && opts.DocURL != nil && opts.BuiltinPrefix != "" && strings.HasPrefix(meta.Source, opts.BuiltinPrefix) {
		meta.DocURL = opts.DocURL(meta.ID)
	}
	return meta, nil
}

// readSources collects the .rego files of opts: test files (*_test.rego)
// only when tests is set.
func readSources(opts Options, tests bool) ([]source, error) {
	var srcs []source
	keep := func(name string) bool {
		if !strings.HasSuffix(name, ".rego") {
			return false
		}
		return tests || !strings.HasSuffix(name, "_test.rego")
	}
	if opts.Builtin != nil {
		err := fs.WalkDir(opts.Builtin, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !keep(p) {
				return err
			}
			b, err := fs.ReadFile(opts.Builtin, p)
			if err != nil {
				return err
			}
			srcs = append(srcs, source{name: path.Join(opts.BuiltinPrefix, p), data: b})
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read built-in policies: %w", err)
		}
	}
	var errs []*engine.FileError
	for _, dir := range opts.Dirs {
		found := 0
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != dir && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasSuffix(p, ".rego") {
				return nil
			}
			found++
			if !keep(p) {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			srcs = append(srcs, source{name: p, data: b})
			return nil
		})
		switch {
		case err != nil:
			errs = append(errs, &engine.FileError{Location: engine.Location{File: dir}, Err: fmt.Errorf("read policies: %w", err)})
		case found == 0:
			errs = append(errs, &engine.FileError{Location: engine.Location{File: dir}, Err: fmt.Errorf("read policies: no .rego file found")})
		}
	}
	if len(errs) > 0 {
		return nil, &CompileError{Errors: errs}
	}
	return srcs, nil
}

// parseModules parses every source as Rego v1, falling back to v0 syntax
// (conftest's older `deny[msg] { ... }`) for a file that only parses as
// such; OPA compiles both together.
func parseModules(srcs []source) (map[string]*ast.Module, error) {
	modules := make(map[string]*ast.Module, len(srcs))
	var errs []*engine.FileError
	for _, s := range srcs {
		m, err := ast.ParseModuleWithOpts(s.name, string(s.data), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV1})
		if err != nil {
			m0, err0 := ast.ParseModuleWithOpts(s.name, string(s.data), ast.ParserOptions{ProcessAnnotation: true, RegoVersion: ast.RegoV0})
			if err0 != nil {
				errs = append(errs, astErrors(s.name, err)...)
				continue
			}
			m = m0
		}
		if m == nil {
			continue // a file with only comments
		}
		modules[s.name] = m
	}
	if len(errs) > 0 {
		return nil, &CompileError{Errors: errs}
	}
	return modules, nil
}

func compileError(errs ast.Errors) *CompileError {
	ce := &CompileError{}
	for _, e := range errs {
		ce.Errors = append(ce.Errors, astError("", e))
	}
	return ce
}

func astErrors(file string, err error) []*engine.FileError {
	var list ast.Errors
	if errors.As(err, &list) {
		out := make([]*engine.FileError, 0, len(list))
		for _, e := range list {
			out = append(out, astError(file, e))
		}
		return out
	}
	return []*engine.FileError{{Location: engine.Location{File: file}, Err: err}}
}

func astError(file string, e *ast.Error) *engine.FileError {
	loc := engine.Location{File: file}
	if e.Location != nil {
		if e.Location.File != "" {
			loc.File = e.Location.File
		}
		loc.Line, loc.Column = e.Location.Row, e.Location.Col
	}
	return &engine.FileError{Location: loc, Err: fmt.Errorf("%s: %s", e.Code, e.Message)}
}
