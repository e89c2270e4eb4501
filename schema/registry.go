package schema

import (
	"compress/gzip"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed data
var data embed.FS

type index struct {
	// Versions holds each release's part undecoded: a run needs one of
	// five, and decoding them all was a few percent of a single-file lint.
	Versions map[string]json.RawMessage `json:"versions"`

	mu       sync.Mutex
	releases map[string]*release
}

// release is one Kubernetes release's part of the index.
type release struct {
	Module string            `json:"module"`
	Kinds  map[string]string `json:"kinds"` // "apps/v1 Deployment" -> blob
}

// release decodes the part of release v once; nil if v is not embedded.
func (idx *index) release(v string) (*release, error) {
	raw, ok := idx.Versions[v]
	if !ok {
		return nil, nil
	}
	idx.mu.Lock()
	defer idx.mu.Unlock()
	if rel := idx.releases[v]; rel != nil {
		return rel, nil
	}
	rel := &release{}
	if err := json.Unmarshal(raw, rel); err != nil {
		return nil, fmt.Errorf("decode embedded schema index of %s: %w", v, err)
	}
	if idx.releases == nil {
		idx.releases = map[string]*release{}
	}
	idx.releases[v] = rel
	return rel, nil
}

// loadIndex reads data/index.json once: it is a few kilobytes, the schemas
// themselves stay compressed until a kind needs one.
var loadIndex = sync.OnceValues(func() (*index, error) {
	b, err := data.ReadFile("data/index.json")
	if err != nil {
		return nil, fmt.Errorf("read embedded schema index: %w", err)
	}
	var idx index
	if err := json.Unmarshal(b, &idx); err != nil {
		return nil, fmt.Errorf("decode embedded schema index: %w", err)
	}
	return &idx, nil
})

// Versions lists the Kubernetes releases whose schemas are embedded, oldest
// first.
func Versions() []Version {
	idx, err := loadIndex()
	if err != nil {
		return nil
	}
	out := make([]Version, 0, len(idx.Versions))
	for s := range idx.Versions {
		if v, err := ParseVersion(s); err == nil {
			out = append(out, v)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Less(out[j]) })
	return out
}

// Registry holds the schemas of one Kubernetes release: the embedded
// built-in kinds, compiled the first time an object of the kind is
// validated, and any CRDs registered with WithCRDs. It is safe for
// concurrent use.
type Registry struct {
	version Version
	module  string
	kinds   map[string]string // "apps/v1 Deployment" -> blob
	// groups are the API groups the release serves, with the kinds and
	// versions of each, to tell a typo from a custom resource.
	groups map[string]map[string][]string // group -> kind -> versions

	cache *blobCache
	crds  map[string]*crdSchema // "group/version Kind"
}

// blobCache compiles each embedded schema once; registries of different
// releases share it, since most kinds are unchanged between releases.
type blobCache struct {
	mu sync.Mutex
	m  map[string]*compiled
}

type compiled struct {
	once sync.Once
	doc  map[string]any // the schema as JSON, to explain errors
	fast *fastNode      // validates built-in kinds; nil for CRDs
	err  error

	// The full validator, compiled on first need: for CRDs always, for a
	// built-in kind only if its fastNode meets a keyword it does not know.
	fullOnce sync.Once
	schema   *jsonschema.Schema
	url      string
	fullErr  error
}

// full returns the compiled validator.
func (c *compiled) full() (*jsonschema.Schema, error) {
	c.fullOnce.Do(func() {
		if c.schema != nil {
			return
		}
		c.schema, c.fullErr = compileSchema(c.url, c.doc)
	})
	return c.schema, c.fullErr
}

// New returns the registry of release v, which must be one of Versions().
func New(v Version) (*Registry, error) {
	idx, err := loadIndex()
	if err != nil {
		return nil, err
	}
	rel, err := idx.release(v.String())
	if err != nil {
		return nil, err
	}
	if rel == nil {
		var have []string
		for _, w := range Versions() {
			have = append(have, w.String())
		}
		return nil, fmt.Errorf("load schemas of Kubernetes %s: not embedded (have %s)", v, strings.Join(have, ", "))
	}
	r := &Registry{
		version: v,
		module:  rel.Module,
		kinds:   rel.Kinds,
		groups:  map[string]map[string][]string{},
		cache:   &blobCache{m: map[string]*compiled{}},
	}
	for key := range rel.Kinds {
		apiVersion, kind, _ := strings.Cut(key, " ")
		group, version := splitAPIVersion(apiVersion)
		if r.groups[group] == nil {
			r.groups[group] = map[string][]string{}
		}
		r.groups[group][kind] = append(r.groups[group][kind], version)
	}
	for _, kinds := range r.groups {
		for _, vs := range kinds {
			sort.Strings(vs)
		}
	}
	return r, nil
}

// Version is the release the registry describes.
func (r *Registry) Version() Version { return r.version }

// Module is the k8s.io/kubernetes module version the schemas were read from.
func (r *Registry) Module() string { return r.module }

// HasGroup reports whether group is an API group built into the release.
func (r *Registry) HasGroup(group string) bool {
	_, ok := r.groups[group]
	return ok
}

// Builtin reports whether the release serves apiVersion and kind.
func (r *Registry) Builtin(apiVersion, kind string) bool {
	_, ok := r.kinds[apiVersion+" "+kind]
	return ok
}

// ServedVersions lists the versions of group in which the release serves
// kind, oldest name first.
func (r *Registry) ServedVersions(group, kind string) []string {
	return r.groups[group][kind]
}

// Kinds lists the kinds the release serves in group.
func (r *Registry) Kinds(group string) []string {
	out := make([]string, 0, len(r.groups[group]))
	for k := range r.groups[group] {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// AllKinds lists every "apiVersion kind" the release serves.
func (r *Registry) AllKinds() []string {
	out := make([]string, 0, len(r.kinds))
	for k := range r.kinds {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (r *Registry) builtin(apiVersion, kind string) (*compiled, bool) {
	blob, ok := r.kinds[apiVersion+" "+kind]
	if !ok {
		return nil, false
	}
	r.cache.mu.Lock()
	c := r.cache.m[blob]
	if c == nil {
		c = &compiled{}
		r.cache.m[blob] = c
	}
	r.cache.mu.Unlock()
	c.once.Do(func() {
		b, err := r.Document(apiVersion, kind)
		if err != nil {
			c.err = err
			return
		}
		c.url = "mem:///" + blob
		if err := json.Unmarshal(b, &c.doc); err != nil {
			c.err = fmt.Errorf("decode schema %s: %w", c.url, err)
			return
		}
		c.fast = buildFast(c.doc)
	})
	return c, true
}

// compileDoc compiles a JSON Schema document and also keeps it decoded, so
// that errors can be explained from the schema node they came from.
func compileDoc(url string, b []byte) (*jsonschema.Schema, map[string]any, error) {
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, nil, fmt.Errorf("decode schema %s: %w", url, err)
	}
	s, err := compileSchema(url, doc)
	if err != nil {
		return nil, nil, err
	}
	return s, doc, nil
}

// compileSchema compiles doc, a decoded JSON Schema document. The compiled
// schema keeps parts of doc, which nobody may change after.
func compileSchema(url string, doc map[string]any) (*jsonschema.Schema, error) {
	c := newCompiler()
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("add schema %s: %w", url, err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("compile schema %s: %w", url, err)
	}
	return s, nil
}

func newCompiler() *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	// Schemas never load anything from outside: everything is embedded or
	// comes from a CRD in the input.
	c.UseLoader(noLoader{})
	for name, fn := range formats {
		c.RegisterFormat(&jsonschema.Format{Name: name, Validate: func(v any) error {
			if !fn(v) {
				return fmt.Errorf("not a valid %s", name)
			}
			return nil
		}})
	}
	return c
}

// noLoader refuses every external schema reference.
type noLoader struct{}

func (noLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("load %s: external schema references are not followed", url)
}

func splitAPIVersion(apiVersion string) (group, version string) {
	if g, v, ok := strings.Cut(apiVersion, "/"); ok {
		return g, v
	}
	return "", apiVersion
}

// FirstServed returns the oldest embedded release that serves apiVersion
// and kind, to tell a user their --kubernetes-version is too old for it.
func FirstServed(apiVersion, kind string) (Version, bool) {
	idx, err := loadIndex()
	if err != nil {
		return Version{}, false
	}
	for _, v := range Versions() {
		rel, err := idx.release(v.String())
		if err != nil || rel == nil {
			continue
		}
		if _, ok := rel.Kinds[apiVersion+" "+kind]; ok {
			return v, true
		}
	}
	return Version{}, false
}

// Document returns the JSON Schema of a built-in kind as embedded: JSON
// Schema 2020-12, self-contained ($defs), strict (additionalProperties:
// false wherever the API lists its fields).
func (r *Registry) Document(apiVersion, kind string) ([]byte, error) {
	blob, ok := r.kinds[apiVersion+" "+kind]
	if !ok {
		return nil, fmt.Errorf("read schema of %s %s: Kubernetes %s does not serve it", apiVersion, kind, r.version)
	}
	f, err := data.Open(path.Join("data", blob))
	if err != nil {
		return nil, fmt.Errorf("open embedded schema %s: %w", blob, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("decompress embedded schema %s: %w", blob, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("decompress embedded schema %s: %w", blob, err)
	}
	return b, nil
}
