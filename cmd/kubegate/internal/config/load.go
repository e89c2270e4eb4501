package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/agnivade/levenshtein"
	"github.com/bmatcuk/doublestar/v4"
	yaml "go.yaml.in/yaml/v3"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
	"github.com/kubegate/kubegate/schema"
)

// maxFileSize bounds the configuration file read: a real one is a few
// kilobytes, and a megabyte is surely a wrong file.
const maxFileSize = 1 << 20

// File is a decoded configuration file.
type File struct {
	// Name is the file as messages name it: as given with --config, or
	// relative to the working directory when found.
	Name string
	// Dir is the absolute directory of the file, against which its
	// relative paths (policies, crds, outputs, exclude patterns) resolve.
	Dir string
	// Config is the content, with defaults for the keys the file leaves
	// out.
	Config Config

	// pos maps the key path of every value decoded ("rules.enable[0]",
	// "rules.severity.image-tag") to the value's position, keyPos to its
	// key's when it is a mapping entry.
	pos, keyPos map[string]engine.Location
}

// Find looks for FileName in dir and in each of its parents up to the
// filesystem root, and returns the first found, or "" when there is none.
// It does not stop at a repository root: like golangci-lint's and
// prettier's, the search is plain, and `kubegate config show` names the
// file in effect. A FileName that exists but cannot be inspected, or is not
// a regular file, is an error, not a reason to go on: silently skipping it
// could turn rules off.
func Find(dir string) (string, error) {
	return find(dir, "")
}

// find is Find stopping after stop ("" for the root), for tests that must
// not see files above their temporary directory.
func find(dir, stop string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("find %s: %w", FileName, err)
	}
	for {
		p := filepath.Join(dir, FileName)
		st, err := os.Stat(p)
		switch {
		case err == nil && st.Mode().IsRegular():
			return p, nil
		case err == nil:
			return "", fmt.Errorf("find %s: %s is not a regular file", FileName, p)
		case !errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("find %s: %w", FileName, err)
		}
		parent := filepath.Dir(dir)
		if parent == dir || dir == stop {
			return "", nil
		}
		dir = parent
	}
}

// Load reads and decodes the file at path; name is how messages call it.
func Load(path, name string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", name, unwrapPathError(err))
	}
	defer func() { _ = f.Close() }()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", name, unwrapPathError(err))
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("read config %s: larger than the %d-byte limit", name, maxFileSize)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("read config %s: %w", name, err)
	}
	return Decode(name, filepath.Dir(abs), data)
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Decode decodes a configuration file strictly: an unknown key, a value of
// the wrong type or an invalid value is an error at its file:line:col, and
// every such error is reported at once (errors.Join of *engine.FileError).
// Rule IDs and output formats are checked later, by Check and the caller,
// once the rules are loaded. dir is the file's absolute directory.
func Decode(name, dir string, data []byte) (*File, error) {
	f := &File{Name: name, Dir: dir, Config: Default(), pos: map[string]engine.Location{}, keyPos: map[string]engine.Location{}}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	err := dec.Decode(&doc)
	switch {
	case errors.Is(err, io.EOF):
		return nil, f.errAt(engine.Location{Line: 1, Column: 1}, "the file is empty; it needs at least version: %d", Version)
	case err != nil:
		return nil, manifest.YAMLError(name, data, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, f.errAt(loc(&extra), "a second YAML document; the configuration is one document")
	} else if !errors.Is(err, io.EOF) {
		return nil, manifest.YAMLError(name, data, err)
	}

	d := &decoder{file: f}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, f.errAt(loc(root), "want a mapping of settings (version: %d, rules: ...), not %s", Version, describe(root))
	}
	d.decode(root, reflect.ValueOf(&f.Config).Elem(), "")
	if _, ok := f.pos["version"]; !ok && len(d.errs) == 0 {
		d.errs = append(d.errs, f.errAt(loc(root), "version is missing; start the file with version: %d", Version))
	}
	// Keys that failed to decode kept their defaults, which are valid, so
	// validating the rest reports each mistake once.
	d.errs = append(d.errs, f.validate()...)
	slices.SortStableFunc(d.errs, compareErrors)
	if len(d.errs) > 0 {
		return nil, errors.Join(d.errs...)
	}
	return f, nil
}

// Locate returns the position of the value at key ("failOn",
// "rules.enable[2]"), or the file's when it has none there.
func (f *File) Locate(key string) engine.Location {
	if l, ok := f.pos[key]; ok {
		return l
	}
	return engine.Location{File: f.Name}
}

// LocateKey is Locate for a mapping entry's key ("rules.severity.image-tag"
// is at "image-tag"), falling back to the value's position.
func (f *File) LocateKey(key string) engine.Location {
	if l, ok := f.keyPos[key]; ok {
		return l
	}
	return f.Locate(key)
}

// Errorf returns an error at the value of key.
func (f *File) Errorf(key, format string, args ...any) error {
	return f.errAt(f.Locate(key), "%s: %s", key, fmt.Sprintf(format, args...))
}

// errorfKey returns an error at the key of a mapping entry.
func (f *File) errorfKey(key, format string, args ...any) error {
	return f.errAt(f.LocateKey(key), "%s: %s", key, fmt.Sprintf(format, args...))
}

func (f *File) errAt(l engine.Location, format string, args ...any) *engine.FileError {
	l.File = f.Name
	return &engine.FileError{Location: l, Err: fmt.Errorf(format, args...)}
}

// Resolve returns path, relative to the file's directory unless absolute,
// as a path relative to the working directory when it can be one (so
// messages stay short), else absolute.
func (f *File) Resolve(path string) string {
	if !filepath.IsAbs(path) {
		path = filepath.Join(f.Dir, path)
	}
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, path); err == nil {
			return rel
		}
	}
	return path
}

// decoder walks the YAML node tree alongside the Go value, so that every
// error names the line and column of the node at fault (yaml.v3's own
// decoding names only the line, and its KnownFields only the first unknown
// key).
type decoder struct {
	file *File
	errs []error
}

func (d *decoder) fail(n *yaml.Node, key, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if key != "" {
		msg = key + ": " + msg
	}
	d.errs = append(d.errs, d.file.errAt(loc(n), "%s", msg))
}

func loc(n *yaml.Node) engine.Location { return engine.Location{Line: n.Line, Column: n.Column} }

// decode sets v from n; key is v's key path, for positions and messages.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, key string) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	d.file.pos[key] = engine.Location{File: d.file.Name, Line: n.Line, Column: n.Column}
	switch v.Kind() {
	case reflect.Struct:
		d.decodeStruct(n, v, key)
	case reflect.Slice:
		if isNull(n) {
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			return
		}
		if n.Kind != yaml.SequenceNode {
			d.fail(n, key, "want a list, not %s", describe(n))
			return
		}
		s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
		for i, item := range n.Content {
			d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", key, i))
		}
		v.Set(s)
	case reflect.Map:
		if isNull(n) {
			v.Set(reflect.MakeMap(v.Type()))
			return
		}
		if n.Kind != yaml.MappingNode {
			d.fail(n, key, "want a mapping, not %s", describe(n))
			return
		}
		m := reflect.MakeMap(v.Type())
		d.entries(n, key, func(k, val *yaml.Node, child string) {
			elem := reflect.New(v.Type().Elem()).Elem()
			d.decode(val, elem, child)
			m.SetMapIndex(reflect.ValueOf(k.Value), elem)
		})
		v.Set(m)
	case reflect.Interface:
		// A rule parameter: any YAML value, checked by the rule itself.
		var x any
		if err := n.Decode(&x); err != nil {
			d.fail(n, key, "%v", err)
			return
		}
		if x == nil {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		v.Set(reflect.ValueOf(x))
	case reflect.String:
		// Any scalar is taken as its text, so kubernetesVersion: 1.30
		// stays "1.30" rather than becoming the number 1.3.
		if n.Kind != yaml.ScalarNode || isNull(n) {
			d.fail(n, key, "want a string, not %s", describe(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
			d.fail(n, key, "want true or false, not %s", describe(n))
			return
		}
		v.SetBool(b)
	case reflect.Int:
		i, err := strconv.Atoi(n.Value)
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || err != nil {
			d.fail(n, key, "want an integer, not %s", describe(n))
			return
		}
		v.SetInt(int64(i))
	default:
		// Only the types above appear in Config; a new one needs a case.
		d.fail(n, key, "cannot decode into %s", v.Type())
	}
}

// decodeStruct decodes a mapping into a struct by the fields' yaml tags.
// Keys the mapping leaves out keep their defaults.
func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, key string) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.fail(n, key, "want a mapping, not %s", describe(n))
		return
	}
	fields := map[string]int{}
	var names []string
	for i := range v.NumField() {
		name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
		fields[name] = i
		names = append(names, name)
	}
	d.entries(n, key, func(k, val *yaml.Node, child string) {
		i, ok := fields[k.Value]
		if !ok {
			where := ""
			if key != "" {
				where = " in " + key
			}
			if s := suggest(k.Value, names); s != "" {
				d.fail(k, "", "unknown key %q%s; did you mean %q?", k.Value, where, s)
			} else {
				d.fail(k, "", "unknown key %q%s; known keys: %s", k.Value, where, strings.Join(names, ", "))
			}
			return
		}
		d.decode(val, v.Field(i), child)
	})
}

// entries calls each for every entry of a mapping, after checking that its
// key is a string and not repeated, and records the key's position.
func (d *decoder) entries(n *yaml.Node, key string, each func(k, v *yaml.Node, child string)) {
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || isNull(k) {
			d.fail(k, key, "want a string key, not %s", describe(k))
			continue
		}
		if k.Value == "<<" && k.Tag == "!!merge" {
			d.fail(k, key, "merge keys (<<) are not supported; write the keys out")
			continue
		}
		if seen[k.Value] {
			d.fail(k, key, "key %q is repeated", k.Value)
			continue
		}
		seen[k.Value] = true
		child := k.Value
		if key != "" {
			child = key + "." + k.Value
		}
		d.file.keyPos[child] = engine.Location{File: d.file.Name, Line: k.Line, Column: k.Column}
		each(k, val, child)
	}
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// describe names a node's kind for messages: `a list`, `"yes"`.
func describe(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case isNull(n):
		return "null"
	case n.Kind == yaml.ScalarNode:
		return strconv.Quote(n.Value)
	}
	return "an empty document"
}

// suggest returns the candidate closest to s, at most two edits away, or
// "".
func suggest(s string, candidates []string) string {
	best, bestD := "", 3
	for _, c := range candidates {
		if d := levenshtein.ComputeDistance(strings.ToLower(s), strings.ToLower(c)); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// validate checks the values that need no rule catalogue: the version,
// severities, Kubernetes releases, glob patterns and exemptions.
func (f *File) validate() []error {
	var errs []error
	c := &f.Config
	if c.Version != Version {
		errs = append(errs, f.Errorf("version", "this kubegate reads version %d, not %d", Version, c.Version))
	}
	if _, err := engine.ParseSeverity(c.FailOn); err != nil {
		errs = append(errs, f.Errorf("failOn", "%v", err))
	}
	for _, id := range slices.Sorted(maps.Keys(c.Rules.Severity)) {
		if _, err := engine.ParseSeverity(c.Rules.Severity[id]); err != nil {
			errs = append(errs, f.Errorf("rules.severity."+id, "%v", err))
		}
	}
	if c.KubernetesVersion != "" {
		if err := embeddedRelease(c.KubernetesVersion); err != nil {
			errs = append(errs, f.Errorf("kubernetesVersion", "%v", err))
		}
	}
	if c.TargetVersion != "" {
		if _, err := schema.ParseVersion(c.TargetVersion); err != nil {
			errs = append(errs, f.Errorf("targetVersion", "%v", err))
		}
	}
	for i, p := range c.Exclude {
		if err := checkPattern(pathPattern(p), true); err != nil {
			errs = append(errs, f.Errorf(fmt.Sprintf("exclude[%d]", i), "%v", err))
		}
	}
	for i, e := range c.Exemptions {
		key := fmt.Sprintf("exemptions[%d]", i)
		if strings.TrimSpace(e.Reason) == "" {
			errs = append(errs, f.Errorf(key, "reason is required: say why these objects are exempt"))
		}
		if len(e.Rules)+len(e.Namespaces)+len(e.Kinds)+len(e.Names) == 0 {
			errs = append(errs, f.Errorf(key, "covers every finding of every object; name rules, namespaces, kinds or names"))
		}
		for field, pats := range map[string][]string{"namespaces": e.Namespaces, "kinds": e.Kinds, "names": e.Names} {
			for j, p := range pats {
				if err := checkPattern(p, false); err != nil {
					errs = append(errs, f.Errorf(fmt.Sprintf("%s.%s[%d]", key, field, j), "%v", err))
				}
			}
		}
	}
	for i, o := range c.Outputs {
		format, file, toFile := strings.Cut(o, "=")
		if format == "" || (toFile && file == "") {
			errs = append(errs, f.Errorf(fmt.Sprintf("outputs[%d]", i), "%q: want FORMAT or FORMAT=FILE", o))
		}
	}
	return errs
}

// embeddedRelease checks that v names a release whose schemas are
// embedded.
func embeddedRelease(s string) error {
	v, err := schema.ParseVersion(s)
	if err != nil {
		return err
	}
	var have []string
	for _, w := range schema.Versions() {
		if w == v {
			return nil
		}
		have = append(have, w.String())
	}
	return fmt.Errorf("the schemas of Kubernetes %s are not embedded (have %s)", v, strings.Join(have, ", "))
}

// checkPattern checks a glob; paths says it is matched against paths,
// which are relative.
func checkPattern(p string, paths bool) error {
	if p == "" {
		return errors.New("empty pattern")
	}
	if !doublestar.ValidatePattern(p) {
		return fmt.Errorf("%q is not a valid glob pattern", p)
	}
	if paths && (strings.HasPrefix(p, "/") || p == ".." || strings.HasPrefix(p, "../") || filepath.IsAbs(p)) {
		return fmt.Errorf("%q: patterns match paths relative to the configuration file's directory and below it", p)
	}
	if !paths && strings.Contains(p, "/") {
		return fmt.Errorf("%q: namespaces, kinds and names hold no /", p)
	}
	return nil
}

func compareErrors(a, b error) int {
	var fa, fb *engine.FileError
	if !errors.As(a, &fa) || !errors.As(b, &fb) {
		return 0
	}
	if fa.Line != fb.Line {
		return fa.Line - fb.Line
	}
	return fa.Column - fb.Column
}
