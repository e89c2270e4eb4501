package render

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/strvals"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
)

// DefaultReleaseName is the release name charts are rendered with when
// Options names none: what `helm template` uses.
const DefaultReleaseName = "release-name"

// Options are what `helm template` takes on its command line and kubegate
// passes on: values, release and cluster facts.
type Options struct {
	// ValueFiles are merged, in order, over each chart's values.yaml
	// (helm's --values).
	ValueFiles []string
	// Set and SetString are helm's --set and --set-string assignments,
	// applied after ValueFiles.
	Set, SetString []string
	// ReleaseName is .Release.Name; "" means DefaultReleaseName.
	ReleaseName string
	// Namespace is .Release.Namespace, and the namespace of every rendered
	// object of a built-in namespaced kind that names none, as `helm
	// install` puts them there. "" renders with "default" and leaves objects
	// as rendered, which lands them in the same namespace.
	Namespace string
	// KubeVersion is .Capabilities.KubeVersion, e.g. "1.37"; "" means
	// Helm's default, that of the client-go kubegate is built with.
	KubeVersion string
}

// Renderer builds Helm charts and Kustomize directories for the manifest
// Loader. It is safe for concurrent use.
type Renderer struct {
	parser      *manifest.Parser
	values      map[string]any
	releaseName string
	namespace   string
	caps        *common.Capabilities
}

// New returns a renderer whose objects parser reads. It reads the values
// files and parses the --set assignments now, so a mistake in them is one
// usage error rather than one error per chart.
func New(parser *manifest.Parser, o Options) (*Renderer, error) {
	r := &Renderer{parser: parser, values: map[string]any{}, releaseName: o.ReleaseName, namespace: o.Namespace}
	if r.releaseName == "" {
		r.releaseName = DefaultReleaseName
	}
	for _, f := range o.ValueFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read values file: %w", err)
		}
		m, err := loader.LoadValues(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("read values file %s: %w", f, err)
		}
		r.values = loader.MergeMaps(r.values, m)
	}
	for _, s := range o.Set {
		if err := strvals.ParseInto(s, r.values); err != nil {
			return nil, fmt.Errorf("--set %s: %w", s, err)
		}
	}
	for _, s := range o.SetString {
		if err := strvals.ParseIntoString(s, r.values); err != nil {
			return nil, fmt.Errorf("--set-string %s: %w", s, err)
		}
	}
	r.caps = common.DefaultCapabilities.Copy()
	if o.KubeVersion != "" {
		kv, err := common.ParseKubeVersion(o.KubeVersion)
		if err != nil {
			return nil, fmt.Errorf("kubernetes version %q: %w", o.KubeVersion, err)
		}
		r.caps.KubeVersion = *kv
	}
	return r, nil
}

// kustomizationNames are the file names that make a directory a
// kustomization, as kustomize recognises them.
var kustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// Target implements manifest.Renderer. A directory with Chart.yaml is a
// chart and one with a kustomization file a Kustomize directory (a chart
// first: a kustomization beside Chart.yaml is a post-renderer's input, not
// the deployment). A path the user named is also a target when it is a
// chart archive (.tgz), a kustomization file (its directory is built), or
// a chart's own file: under templates/ or crds/, or Chart.yaml, a values
// file, values.schema.json; then the outermost chart it belongs to (up
// through charts/ directories) is built. Other files of a chart, and every
// other path, are not targets.
func (r *Renderer) Target(path string, isDir, named bool) string {
	if isDir {
		switch {
		case isFile(filepath.Join(path, "Chart.yaml")):
			return path
		case kustomizationFile(path) != "":
			return path
		case named:
			return enclosingChart(path, true)
		}
		return ""
	}
	if !named {
		return ""
	}
	base := filepath.Base(path)
	switch {
	case strings.HasSuffix(base, ".tgz") || strings.HasSuffix(base, ".tar.gz"):
		return path
	case isKustomizationName(base):
		return filepath.Dir(path)
	}
	if chart := enclosingChart(path, false); chart != "" {
		return chart
	}
	return enclosingKustomization(path)
}

// enclosingKustomization returns the directory of the nearest kustomization
// above the file path when that kustomization names the file (as a
// resource, a patch, a generator's input: anything it lists by its path
// relative to the kustomization's directory), else "". A patch is rarely a
// valid manifest by itself, and pre-commit names changed files one by one:
// linting the build that uses the file is what a user means. A file the
// nearest kustomization does not name is linted as the file it is, so
// nothing is dropped from the run on a guess.
func enclosingKustomization(path string) string {
	dir := filepath.Dir(path)
	for range maxChartDepth {
		if k := kustomizationFile(dir); k != "" {
			rel, err := filepath.Rel(dir, path)
			if err != nil {
				return ""
			}
			data, err := os.ReadFile(k)
			if err != nil || !namesFile(data, filepath.ToSlash(rel)) {
				return ""
			}
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return ""
}

// namesFile reports whether a kustomization's text names the file rel (a
// slash-separated path relative to its directory) as a whole YAML value,
// with or without a leading "./": `- rel`, `path: rel`, `[a, rel]`, quoted
// or not. "../base/rel" does not name rel, nor does "prod-rel".
func namesFile(kustomization []byte, rel string) bool {
	re := regexp.MustCompile(`(?m)(^|[\s"'\[,:])(\./)?` + regexp.QuoteMeta(rel) + `($|[\s"',\]#])`)
	return re.Match(kustomization)
}

// Render implements manifest.Renderer.
func (r *Renderer) Render(ctx context.Context, target string) ([]*engine.Object, []*engine.FileError) {
	if st, err := os.Stat(target); err == nil && st.IsDir() && !isFile(filepath.Join(target, "Chart.yaml")) {
		return r.renderKustomization(ctx, target)
	}
	return r.renderChart(ctx, target)
}

func isKustomizationName(base string) bool {
	for _, n := range kustomizationNames {
		if base == n {
			return true
		}
	}
	return false
}

// kustomizationFile returns the kustomization file in dir, or "".
func kustomizationFile(dir string) string {
	for _, n := range kustomizationNames {
		if p := filepath.Join(dir, n); isFile(p) {
			return p
		}
	}
	return ""
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// maxChartDepth bounds the walk up from a named path to the chart it is in;
// deeper than any real chart nests.
const maxChartDepth = 32

// enclosingChart returns the outermost chart a chart's own file or
// directory belongs to, or "" when path is not one (see Target).
func enclosingChart(path string, isDir bool) string {
	dir := path
	if !isDir {
		dir = filepath.Dir(path)
	}
	for range maxChartDepth {
		if isFile(filepath.Join(dir, "Chart.yaml")) {
			rel, err := filepath.Rel(dir, path)
			if err != nil || !chartOwnFile(filepath.ToSlash(rel), isDir) {
				return ""
			}
			// A subchart's file belongs to the chart whose charts/ holds it.
			for filepath.Base(filepath.Dir(dir)) == "charts" && isFile(filepath.Join(dir, "..", "..", "Chart.yaml")) {
				dir = filepath.Join(dir, "..", "..")
			}
			return dir
		}
		up := filepath.Join(dir, "..")
		if abs, err := filepath.Abs(dir); err != nil || filepath.Dir(abs) == abs {
			return ""
		}
		dir = up
	}
	return ""
}

// chartOwnFile reports whether rel, a path relative to a chart's root, is
// one of the files Helm reads as the chart rather than as data.
func chartOwnFile(rel string, isDir bool) bool {
	first, _, _ := strings.Cut(rel, "/")
	if first == "templates" || first == "crds" {
		return true
	}
	if isDir || strings.Contains(rel, "/") {
		return false
	}
	switch {
	case rel == "Chart.yaml", rel == "Chart.lock", rel == "values.schema.json", rel == "requirements.yaml":
		return true
	case strings.HasPrefix(rel, "values") && (strings.HasSuffix(rel, ".yaml") || strings.HasSuffix(rel, ".yml")):
		return true
	}
	return false
}
