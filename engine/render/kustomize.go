package render

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/resource"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/kubegate/kubegate/engine"
)

// renderKustomization builds a kustomization directory as `kustomize
// build` does with its defaults: files only from the directory and below
// (LoadRestrictionsRootOnly), no plugins, no Helm, and here no network: a
// remote base or file is an input error at the reference, found before
// kustomize would fetch it.
func (r *Renderer) renderKustomization(_ context.Context, dir string) ([]*engine.Object, []*engine.FileError) {
	kfile := kustomizationFile(dir)
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, []*engine.FileError{{Location: engine.Location{File: dir}, Err: fmt.Errorf("build kustomization: %w", err)}}
	}
	fs := &offlineFS{FileSystem: filesys.MakeFsOnDisk(), root: abs}
	resMap, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(fs, abs)
	if err != nil {
		if ref := fs.remoteRef(); ref != nil {
			return nil, []*engine.FileError{ref.error(abs, dir)}
		}
		return nil, []*engine.FileError{{Location: engine.Location{File: kfile}, Err: fmt.Errorf("build kustomization %s: %s", dir, oneLine(err.Error()))}}
	}

	k := &kustBuild{r: r, dir: dir, abs: abs, sources: map[string][]*engine.Object{}}
	origins := make([]*resource.Origin, resMap.Size())
	resourceFiles := map[string]bool{}
	for i, res := range resMap.Resources() {
		origins[i], _ = res.GetOrigin()
		if o := origins[i]; o != nil && o.Path != "" && o.Repo == "" {
			resourceFiles[filepath.Join(abs, o.Path)] = true
		}
	}
	k.readPatches(fs.readFiles(), resourceFiles)
	if fs.injected {
		// kubegate asked for the annotations; the real build has none.
		if err := resMap.RemoveOriginAnnotations(); err != nil {
			return nil, []*engine.FileError{{Location: engine.Location{File: kfile}, Err: fmt.Errorf("build kustomization %s: %w", dir, err)}}
		}
	}
	var objs []*engine.Object
	var errs []*engine.FileError
	for i, res := range resMap.Resources() {
		data, err := res.AsYAML()
		if err != nil {
			errs = append(errs, &engine.FileError{Location: engine.Location{File: kfile}, Err: fmt.Errorf("build kustomization %s: %w", dir, err)})
			continue
		}
		o, e := k.place(origins[i], res.CurId().Kind, res.GetName(), data)
		objs = append(objs, o...)
		errs = append(errs, e...)
	}
	return objs, errs
}

// kustBuild is one kustomization's build output being placed in its
// sources.
type kustBuild struct {
	r        *Renderer
	dir, abs string
	// sources are the objects of each resource file, by display path.
	sources map[string][]*engine.Object
	// patches are the strategic-merge patches among the files the build
	// read, with their positions.
	patches []*engine.Object
}

// display turns a path kustomize used (absolute, or relative to the
// kustomization) into one relative to what the user typed.
func (k *kustBuild) display(p string) string {
	if !filepath.IsAbs(p) {
		p = filepath.Join(k.abs, p)
	}
	rel, err := filepath.Rel(k.abs, p)
	if err != nil {
		return p
	}
	return filepath.Join(k.dir, rel)
}

// place parses one built object and points it at its source: the object
// it came from in a resource file, or the generator in a kustomization
// that made it, or at least the file.
func (k *kustBuild) place(origin *resource.Origin, kind, name string, data []byte) ([]*engine.Object, []*engine.FileError) {
	file := kustomizationFile(k.dir)
	switch {
	case origin == nil:
	case origin.ConfiguredIn != "":
		file = k.display(origin.ConfiguredIn)
	case origin.Path != "" && origin.Repo == "":
		file = k.display(origin.Path)
	}
	objs, errs := k.r.parser.ParseRendered(file, data)
	for _, obj := range objs {
		obj.Source.Origin = k.dir
		obj.Source.Line, obj.Source.Column, obj.Locator = 0, 0, nil
		switch {
		case origin != nil && origin.ConfiguredIn != "":
			obj.Source.Line, obj.Source.Column = generatorPosition(file, origin.ConfiguredBy.Kind, name)
		case origin != nil && origin.Path != "" && origin.Repo == "":
			src := k.source(file, kind, name)
			if src == nil {
				continue
			}
			obj.Source.Line, obj.Source.Column, obj.Source.Document = src.Source.Line, src.Source.Column, src.Source.Document
			obj.Locator = &kustLocator{built: obj, src: src, patches: k.patchesFor(kind, src, obj)}
		}
	}
	for _, fe := range errs {
		// The build's output is no file: what is wrong with it is wrong
		// with the object, wherever it came from.
		fe.Line, fe.Column = 0, 0
	}
	return objs, errs
}

// source finds the object a built one came from in its resource file:
// the one of its kind, or of its kind and name, or whose name the built
// name contains (a name prefix or suffix), each only when it is the only
// one; else nil.
func (k *kustBuild) source(file, kind, name string) *engine.Object {
	objs, ok := k.sources[file]
	if !ok {
		if data, err := os.ReadFile(file); err == nil {
			objs, _ = k.r.parser.ParseRendered(file, data)
		}
		k.sources[file] = objs
	}
	var sameKind []*engine.Object
	for _, o := range objs {
		if o.Kind == kind {
			sameKind = append(sameKind, o)
		}
	}
	if len(sameKind) == 1 {
		return sameKind[0]
	}
	var exact, within []*engine.Object
	longest := 0
	for _, o := range sameKind {
		switch {
		case o.Name == name:
			exact = append(exact, o)
		case o.Name != "" && strings.Contains(name, o.Name):
			if len(o.Name) > longest {
				within, longest = within[:0], len(o.Name)
			}
			if len(o.Name) == longest {
				within = append(within, o)
			}
		}
	}
	if len(exact) == 1 {
		return exact[0]
	}
	if len(exact) == 0 && len(within) == 1 {
		return within[0]
	}
	return nil
}

// readPatches keeps the objects of the files the build read that are
// strategic-merge patches: neither kustomizations nor resource files, and
// objects with a name.
func (k *kustBuild) readPatches(files []string, resourceFiles map[string]bool) {
	for _, f := range files {
		if isKustomizationName(filepath.Base(f)) || resourceFiles[f] {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		objs, _ := k.r.parser.ParseRendered(k.display(f), data)
		for _, o := range objs {
			if o.Name != "" {
				k.patches = append(k.patches, o)
			}
		}
	}
}

// patchesFor returns the patches that name an object of kind by its name
// (and namespace, when they give one) in its source or as built.
func (k *kustBuild) patchesFor(kind string, src, built *engine.Object) []*engine.Object {
	var out []*engine.Object
	for _, p := range k.patches {
		if p.Namespace != "" && p.Namespace != src.Namespace && p.Namespace != built.Namespace {
			continue
		}
		if p.Kind == kind && (p.Name == src.Name || p.Name == built.Name) {
			out = append(out, p)
		}
	}
	return out
}

// generatorPosition finds the configMapGenerator or secretGenerator entry
// that made a built object in a kustomization file: the one whose name the
// built name (with its hash suffix, prefix and suffix) holds, when only
// one does; else the file's start.
func generatorPosition(file, kind, name string) (int, int) {
	key := map[string]string{"ConfigMapGenerator": "configMapGenerator", "SecretGenerator": "secretGenerator"}[kind]
	data, err := os.ReadFile(file)
	if key == "" || err != nil {
		return 0, 0
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return 0, 0
	}
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != key || root.Content[i+1].Kind != yaml.SequenceNode {
			continue
		}
		var hit *yaml.Node
		n := 0
		for _, item := range root.Content[i+1].Content {
			if item.Kind != yaml.MappingNode {
				continue
			}
			for j := 0; j+1 < len(item.Content); j += 2 {
				if v := item.Content[j+1].Value; item.Content[j].Value == "name" && v != "" && strings.Contains(name, v) {
					hit, n = item.Content[j], n+1
				}
			}
		}
		if n == 1 {
			return hit.Line, hit.Column
		}
		return root.Content[i].Line, root.Content[i].Column
	}
	return 0, 0
}

// offlineFS is the disk as kustomize sees it for one build. It refuses a
// kustomization that references anything remote, before kustomize would
// fetch it; asks the top kustomization for origin annotations, which say
// which file each resource came from; and records every file read.
type offlineFS struct {
	filesys.FileSystem
	root string

	mu       sync.Mutex
	remote   *remoteRef
	read     []string
	injected bool
}

// errRemote stops a build at a remote reference.
var errRemote = errors.New("remote reference")

func (f *offlineFS) ReadFile(p string) ([]byte, error) {
	data, err := f.FileSystem.ReadFile(p)
	if err != nil {
		return data, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.read = append(f.read, p)
	if !isKustomizationName(filepath.Base(p)) {
		return data, nil
	}
	if ref := findRemote(data); ref != "" {
		if f.remote == nil {
			f.remote = &remoteRef{file: p, ref: ref, data: data}
		}
		return nil, fmt.Errorf("%w %s", errRemote, ref)
	}
	if filepath.Dir(p) == f.root {
		if out, ok := withOriginAnnotations(data); ok {
			f.injected = true
			return out, nil
		}
	}
	return data, nil
}

func (f *offlineFS) remoteRef() *remoteRef {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.remote
}

func (f *offlineFS) readFiles() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.read)
}

// remoteRef is a remote base or file a kustomization names.
type remoteRef struct {
	file, ref string
	data      []byte
}

func (r *remoteRef) error(abs, dir string) *engine.FileError {
	file := r.file
	if rel, err := filepath.Rel(abs, r.file); err == nil {
		file = filepath.Join(dir, rel)
	}
	loc := engine.Location{File: file}
	for i, l := range splitLines(string(r.data)) {
		if c := strings.Index(l, r.ref); c >= 0 {
			loc.Line, loc.Column = i+1, len([]rune(l[:c]))+1
			break
		}
	}
	return &engine.FileError{Location: loc, Err: fmt.Errorf("remote reference %s: kubegate builds kustomizations offline and fetches nothing; vendor it, or lint the output of kustomize build", r.ref)}
}

// findRemote returns the first reference in a kustomization that
// kustomize would fetch (a git repository or an http(s) file), or "".
func findRemote(data []byte) string {
	var k types.Kustomization
	if sigsyaml.Unmarshal(data, &k) != nil {
		return "" // kustomize says what is wrong with it
	}
	k.FixKustomization() // bases into resources, env into envs, as kustomize reads them
	var refs []string
	refs = append(refs, k.Resources...)
	refs = append(refs, k.Components...)
	refs = append(refs, k.Crds...)
	refs = append(refs, k.Configurations...)
	refs = append(refs, k.Generators...)
	refs = append(refs, k.Transformers...)
	refs = append(refs, k.Validators...)
	refs = append(refs, k.OpenAPI["path"])
	patches := append(slices.Clone(k.Patches), k.PatchesJson6902...) //nolint:staticcheck // deprecated, but kustomize still fetches what it names
	for _, p := range patches {
		refs = append(refs, p.Path)
	}
	for _, p := range k.PatchesStrategicMerge { //nolint:staticcheck // deprecated, but kustomize still fetches what it names
		refs = append(refs, string(p))
	}
	for _, rp := range k.Replacements {
		refs = append(refs, rp.Path)
	}
	kv := func(s types.KvPairSources) {
		for _, f := range s.FileSources {
			_, p, ok := strings.Cut(f, "=")
			if !ok {
				p = f
			}
			refs = append(refs, p)
		}
		refs = append(refs, s.EnvSources...)
	}
	for _, g := range k.ConfigMapGenerator {
		kv(g.KvPairSources)
	}
	for _, g := range k.SecretGenerator {
		kv(g.KvPairSources)
	}
	for _, ref := range refs {
		if isRemote(ref) {
			return ref
		}
	}
	return ""
}

var scpUserRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]*@`)

// isRemote reports whether kustomize reads ref from the network: the
// forms its repository parser (api/internal/git) and its http loader
// accept.
func isRemote(ref string) bool {
	s := strings.TrimSpace(ref)
	if strings.ContainsAny(s, "\n") {
		return false // an inline patch
	}
	l := strings.ToLower(s)
	l = strings.TrimPrefix(l, "git::")
	for _, p := range []string{"https://", "http://", "ssh://", "file://"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return scpUserRE.MatchString(s) || strings.HasPrefix(l, "github.com/") || strings.HasPrefix(l, "github.com:")
}

// withOriginAnnotations adds originAnnotations to a kustomization's
// buildMetadata, so that each built resource says which file it came from.
// It reports false when the kustomization already asks for them or cannot
// be read (kustomize then says why).
func withOriginAnnotations(data []byte) ([]byte, bool) {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, false
	}
	root := doc.Content[0]
	origin := &yaml.Node{Kind: yaml.ScalarNode, Value: types.OriginAnnotations}
	found := false
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "buildMetadata" {
			continue
		}
		seq := root.Content[i+1]
		if seq.Kind != yaml.SequenceNode {
			return nil, false
		}
		for _, it := range seq.Content {
			if it.Value == types.OriginAnnotations {
				return nil, false
			}
		}
		seq.Content = append(seq.Content, origin)
		found = true
	}
	if !found {
		root.Content = append(root.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Value: "buildMetadata"},
			&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{origin}})
	}
	out, err := yaml.Marshal(&doc)
	if err != nil {
		return nil, false
	}
	return out, true
}

// oneLine joins a multi-line error from kustomize into one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
