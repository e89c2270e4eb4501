package policy

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

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
	// BuiltinIndex is BuildIndex's description of Builtin, which spares a
	// run parsing the policies it does not need (nil: parse them all). An
	// index that does not match Builtin's files is not used.
	BuiltinIndex []byte
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
// Users' policies are compiled when the Set is loaded, so their errors come
// first. The built-in policies alone (no Dirs) are compiled on demand, only
// the packages that apply to the kinds of the run, and every package plus
// the library compiles on its own (a test checks it): a single-file lint of
// a Deployment then compiles half of them, and one of ConfigMaps none.
//
// Runs that share a Set must not overlap when a policy reads
// data.inventory: the inventory lives in the Set's store. Lint has one run;
// the webhook and the API core publish their store once and update it.
type Set struct {
	rules []engine.Rule
	// sources are the policy files by name, kept to parse again for a
	// second compile: OPA's compiler rewrites the modules it is given.
	sources map[string]source
	// modules are the parsed modules by file name, until the first compile
	// takes them; nil when an index described the policies.
	modules map[string]*ast.Module
	// entryFile maps the files of packages with entry points to their
	// package path, so that a compile parses only the files it needs (the
	// libraries are every other file).
	entryFile map[string]string
	// packages are the policy packages in order, with the kinds they apply
	// to and the query expressions of their entry points.
	packages []*pkgQuery
	// byKind caches, per group/version/kind, the query over the packages
	// that apply to that kind: an object is evaluated only by the policies
	// of its kind, so fifty pod policies cost a ConfigMap nothing.
	byKindMu sync.Mutex
	byKind   map[engine.GVK]*kindQuery
	// bindings maps each package to the query variables of its entry points.
	bindings map[string][]binding
	store    storage.Store

	// compileMu guards compiler, compiled and modules. A later compile only
	// ever adds packages, so a query prepared against an earlier compiler
	// stays valid.
	compileMu sync.Mutex
	compiler  *ast.Compiler
	compiled  map[string]bool // package paths the compiler holds
	// usesInventory is set when a compiled policy reads data.inventory;
	// only then is the inventory converted and stored.
	usesInventory atomic.Bool

	mu      sync.Mutex
	runInv  engine.Inventory // the inventory of the current run
	lastInv engine.Inventory // the inventory in the store
}

// pkgQuery is one package's share of the combined query.
type pkgQuery struct {
	path    string
	meta    engine.Meta
	queries []string
	// alone is the package's query on its own, used only when the combined
	// query fails on an object, to say which policy failed; prepared on
	// first use.
	aloneOnce sync.Once
	alone     rego.PreparedEvalQuery
	aloneErr  error
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

// Load reads every policy and the packages' METADATA. Users' policies
// (opts.Dirs) are parsed and compiled at once, in strict mode, and the query
// that evaluates them all is prepared; a parse or compile error is a
// *CompileError with every problem located. The built-in policies alone are
// described by opts.BuiltinIndex when it matches them, and parsed only when
// a run needs them.
func Load(ctx context.Context, opts Options) (*Set, error) {
	srcs, err := readSources(opts, false)
	if err != nil {
		return nil, err
	}
	s := &Set{
		sources:   map[string]source{},
		entryFile: map[string]string{},
		byKind:    map[engine.GVK]*kindQuery{},
		bindings:  map[string][]binding{},
		store:     inmem.NewWithOpts(inmem.OptRoundTripOnWrite(false), inmem.OptReturnASTValuesOnRead(true)),
	}
	for _, src := range srcs {
		s.sources[src.name] = src
	}
	eager := len(opts.Dirs) > 0
	descs, ok := indexed(opts, srcs)
	if !ok {
		modules, err := parseModules(srcs, true)
		if err != nil {
			return nil, err
		}
		if descs, err = describe(modules, opts); err != nil {
			return nil, err
		}
		s.modules = modules
	}
	for _, d := range descs {
		s.packages = append(s.packages, &pkgQuery{path: d.Path})
		for _, f := range d.Files {
			s.entryFile[f] = d.Path
		}
	}
	if eager {
		if _, err := s.compile(func(*pkgQuery) bool { return true }); err != nil {
			return nil, err
		}
	}
	for i, d := range descs {
		pq := s.packages[i]
		pq.meta = d.Meta
		for _, ep := range entryPoints {
			if !slices.Contains(d.Entries, ep.name) {
				continue
			}
			v := fmt.Sprintf("p%d_%s", i, ep.name)
			// deny and violation report at the rule's severity; warn at
			// most at warning.
			sev := d.Meta.Severity
			if ep.name == "warn" && sev > engine.Warning {
				sev = engine.Warning
			}
			// A comprehension is never undefined, so one package's empty
			// or undefined entry point cannot hide the others' results.
			pq.queries = append(pq.queries, fmt.Sprintf("%s := [x | some x in %s.%s]", v, d.Path, ep.name))
			s.bindings[pq.path] = append(s.bindings[pq.path], binding{variable: v, entry: ep.name, severity: sev})
		}
		s.rules = append(s.rules, &regoRule{meta: d.Meta, pkg: pq.path, set: s})
	}
	if !eager {
		return s, nil
	}

	var query []string
	for _, p := range s.packages {
		query = append(query, p.queries...)
	}
	if len(query) == 0 {
		return s, nil
	}
	// Preparing the whole query once checks that every entry point
	// compiles into a query, so a per-kind query cannot fail later for a
	// reason that would have shown here.
	if _, err := s.prepare(ctx, s.compiler, query); err != nil {
		return nil, fmt.Errorf("prepare policies: %w", err)
	}
	return s, nil
}

// describe reads the packages with entry points out of parsed modules, in
// a deterministic order, with their METADATA.
func describe(modules map[string]*ast.Module, opts Options) ([]packageDesc, error) {
	annotations, errs := ast.BuildAnnotationSet(moduleList(modules))
	if len(errs) > 0 {
		return nil, compileError(errs)
	}
	var out []packageDesc
	for _, pkg := range packages(modules) {
		meta, err := packageMeta(annotations, pkg, opts)
		if err != nil {
			return nil, err
		}
		d := packageDesc{Path: pkg.path.String(), Files: pkg.files, Meta: meta}
		for _, ep := range entryPoints {
			if pkg.entries[ep.name] {
				d.Entries = append(d.Entries, ep.name)
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// compile makes sure the compiler holds every package for which need is
// true, compiling again with them added when it does not, and returns it
// (nil while no package is needed). Modules of packages without entry
// points (libraries) are always compiled in.
func (s *Set) compile(need func(*pkgQuery) bool) (*ast.Compiler, error) {
	s.compileMu.Lock()
	defer s.compileMu.Unlock()
	want, missing := s.wanted(need)
	if !missing {
		return s.compiler, nil
	}
	return s.compileLocked(want)
}

// compileInBackground starts compiling what need asks for and returns at
// once. compileMu stays held until the compile is done, so a query that
// needs the compiler waits for it; meanwhile the Go rules check the first
// objects on the other cores. A compile error is not lost: the query that
// needs those packages compiles them again, meets it and reports it.
func (s *Set) compileInBackground(need func(*pkgQuery) bool) {
	s.compileMu.Lock()
	want, missing := s.wanted(need)
	if !missing {
		s.compileMu.Unlock()
		return
	}
	go func() {
		defer s.compileMu.Unlock()
		_, _ = s.compileLocked(want)
	}()
}

// wanted returns the packages a compile for need holds (those compiled
// already, and the needed ones), and whether that is more than the
// compiler holds. compileMu is held.
func (s *Set) wanted(need func(*pkgQuery) bool) (map[string]bool, bool) {
	want := map[string]bool{}
	missing := false
	for _, p := range s.packages {
		switch {
		case s.compiled[p.path]:
			want[p.path] = true
		case need(p):
			want[p.path] = true
			missing = true
		}
	}
	// A set without packages (only libraries) still compiles once, so
	// that their errors show.
	if s.compiler == nil && len(s.packages) == 0 {
		missing = true
	}
	return want, missing
}

// compileLocked compiles the libraries and the packages in want into a new
// compiler, with compileMu held.
func (s *Set) compileLocked(want map[string]bool) (*ast.Compiler, error) {
	modules := s.modules
	s.modules = nil
	if modules == nil {
		// The parsed modules went into the previous compiler, or the index
		// described them: parse the libraries and the wanted packages.
		var srcs []source
		for _, name := range slices.Sorted(maps.Keys(s.sources)) {
			if pkg, ok := s.entryFile[name]; ok && !want[pkg] {
				continue
			}
			srcs = append(srcs, s.sources[name])
		}
		var err error
		// METADATA was read when the set was loaded; the compile needs
		// none (BuildIndex makes sure no built-in policy reads it with
		// rego.metadata), and parsing it is a tenth of the parse.
		if modules, err = parseModules(srcs, false); err != nil {
			return nil, err
		}
	}
	entryPkgs := map[string]bool{}
	for _, p := range s.packages {
		entryPkgs[p.path] = true
	}
	maps.DeleteFunc(modules, func(_ string, m *ast.Module) bool {
		path := m.Package.Path.String()
		return entryPkgs[path] && !want[path]
	})
	c := ast.NewCompiler().WithStrict(true)
	c.Compile(modules)
	if c.Failed() {
		return nil, compileError(c.Errors)
	}
	s.compiler, s.compiled = c, want
	if readsInventory(c) {
		s.usesInventory.Store(true)
	}
	return c, nil
}

func (s *Set) prepare(ctx context.Context, c *ast.Compiler, q []string) (rego.PreparedEvalQuery, error) {
	return rego.New(
		rego.Query(strings.Join(q, "; ")),
		rego.Compiler(c),
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
		c, err := s.compile(func(p *pkgQuery) bool { return p.meta.MatchesKind(gvk) })
		if err != nil {
			kq.err = err
			return
		}
		kq.query, kq.err = s.prepare(ctx, c, parts)
	})
	return kq.query, !kq.empty, kq.err
}

// aloneQuery returns p's own query, prepared on first use against a
// compiler that holds p (the one that evaluated p's kind, or a later one).
func (s *Set) aloneQuery(ctx context.Context, p *pkgQuery) (rego.PreparedEvalQuery, error) {
	p.aloneOnce.Do(func() {
		c, err := s.compile(func(q *pkgQuery) bool { return q == p })
		if err != nil {
			p.aloneErr = err
			return
		}
		p.alone, p.aloneErr = s.prepare(ctx, c, p.queries)
	})
	return p.alone, p.aloneErr
}

// Rules returns one engine.Rule per policy package that has deny, violation
// or warn rules, ordered by rule ID.
func (s *Set) Rules() []engine.Rule { return s.rules }

// pkgInfo is one policy package with entry points.
type pkgInfo struct {
	path    ast.Ref
	entries map[string]bool
	files   []string
	modules map[string]*ast.Module // by file name
}

var inventoryRef = ast.MustParseRef("data.inventory")

// packages finds the packages that define deny, violation or warn, in a
// deterministic order.
func packages(modules map[string]*ast.Module) []*pkgInfo {
	byPath := map[string]*pkgInfo{}
	var order []string
	for _, name := range slices.Sorted(maps.Keys(modules)) {
		m := modules[name]
		key := m.Package.Path.String()
		info := byPath[key]
		if info == nil {
			info = &pkgInfo{path: m.Package.Path, entries: map[string]bool{}, modules: map[string]*ast.Module{}}
			byPath[key] = info
			order = append(order, key)
		}
		info.files = append(info.files, name)
		info.modules[name] = m
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
	}
	var out []*pkgInfo
	for _, k := range order {
		if len(byPath[k].entries) > 0 {
			out = append(out, byPath[k])
		}
	}
	return out
}

// readsInventory reports whether a compiled module refers to
// data.inventory; imports and aliases are resolved by then.
func readsInventory(c *ast.Compiler) bool {
	found := false
	for _, m := range c.Modules {
		ast.WalkRefs(m, func(r ast.Ref) bool {
			if r.HasPrefix(inventoryRef) || inventoryRef.HasPrefix(r) && len(r) > 1 {
				found = true
			}
			return found
		})
		if found {
			return true
		}
	}
	return false
}

// moduleList returns the modules in file name order.
func moduleList(modules map[string]*ast.Module) []*ast.Module {
	out := make([]*ast.Module, 0, len(modules))
	for _, name := range slices.Sorted(maps.Keys(modules)) {
		out = append(out, modules[name])
	}
	return out
}

// packageMeta reads a package's METADATA into an engine.Meta.
func packageMeta(annotations *ast.AnnotationSet, pkg *pkgInfo, opts Options) (engine.Meta, error) {
	id := strings.TrimPrefix(pkg.path.String(), "data.")
	meta := engine.Meta{ID: id, Title: id, Severity: engine.Error, Source: pkg.files[0]}
	if !pkg.entries["deny"] && !pkg.entries["violation"] {
		meta.Severity = engine.Warning
	}
	var ann *ast.Annotations
	for _, name := range pkg.files {
		if a := annotations.GetPackageScope(pkg.modules[name].Package); a != nil {
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
// such; OPA compiles both together. Files are parsed in parallel (parsing
// is most of a short run's start-up), and errors come back in file order.
func parseModules(srcs []source, annotations bool) (map[string]*ast.Module, error) {
	type parsed struct {
		module *ast.Module
		errs   []*engine.FileError
	}
	results := make([]parsed, len(srcs))
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(srcs)) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(srcs); i = int(next.Add(1) - 1) {
				results[i].module, results[i].errs = parseModule(srcs[i], annotations)
			}
		})
	}
	wg.Wait()
	modules := make(map[string]*ast.Module, len(srcs))
	var errs []*engine.FileError
	for i, r := range results {
		errs = append(errs, r.errs...)
		if r.module != nil { // nil: a file with only comments
			modules[srcs[i].name] = r.module
		}
	}
	if len(errs) > 0 {
		return nil, &CompileError{Errors: errs}
	}
	return modules, nil
}

func parseModule(s source, annotations bool) (*ast.Module, []*engine.FileError) {
	m, err := ast.ParseModuleWithOpts(s.name, string(s.data), ast.ParserOptions{ProcessAnnotation: annotations, RegoVersion: ast.RegoV1})
	if err == nil {
		return m, nil
	}
	m0, err0 := ast.ParseModuleWithOpts(s.name, string(s.data), ast.ParserOptions{ProcessAnnotation: annotations, RegoVersion: ast.RegoV0})
	if err0 != nil {
		return nil, astErrors(s.name, err)
	}
	return m0, nil
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
