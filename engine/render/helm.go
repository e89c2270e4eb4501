package render

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	chartutil "helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/chart/loader/archive"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartv2util "helm.sh/helm/v4/pkg/chart/v2/util"
	helmengine "helm.sh/helm/v4/pkg/engine"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"sigs.k8s.io/yaml"

	"github.com/kubegate/kubegate/engine"
)

// renderChart renders a chart directory or archive as `helm template`
// does, client-side and offline, and reads its output: the CRDs of its
// crds/ directories first (which `helm install` installs, though `helm
// template` prints them only with --include-crds), then every template's
// documents, hooks and tests included, in template name order.
func (r *Renderer) renderChart(ctx context.Context, target string) ([]*engine.Object, []*engine.FileError) {
	chrt, err := loader.Load(target)
	if err != nil {
		return nil, []*engine.FileError{{Location: engine.Location{File: target}, Err: fmt.Errorf("load chart: %w", err)}}
	}
	base := filepath.Clean(target)
	if st, err := os.Stat(target); err == nil && !st.IsDir() {
		base = target + archiveSep + archiveTop(target)
	}
	origins := map[string]string{}
	chartOrigins(chrt, chrt.ChartFullPath(), base, origins)
	chartErr := func(err error) []*engine.FileError {
		// base may hold "//"; path.Join would clean it away.
		return []*engine.FileError{{Location: engine.Location{File: base + "/Chart.yaml"}, Err: fmt.Errorf("chart %s: %w", chrt.Name(), err)}}
	}
	if err := missingDependencies(chrt); err != nil {
		return nil, chartErr(err)
	}
	if chrt.Metadata.Type == "library" {
		return nil, chartErr(errors.New("a library chart renders nothing of its own; lint a chart that uses it"))
	}
	if kv := chrt.Metadata.KubeVersion; kv != "" && !chartv2util.IsCompatibleRange(kv, r.caps.KubeVersion.String()) {
		return nil, chartErr(fmt.Errorf("chart requires kubeVersion %s, which Kubernetes %s is not; set --kubernetes-version", kv, r.caps.KubeVersion.Version))
	}
	if err := chartv2util.ProcessDependencies(chrt, r.values); err != nil {
		return nil, chartErr(fmt.Errorf("process dependencies: %w", err))
	}
	ns := r.namespace
	if ns == "" {
		ns = engine.DefaultNamespace
	}
	vals, err := chartutil.ToRenderValues(chrt, r.values, common.ReleaseOptions{Name: r.releaseName, Namespace: ns, Revision: 1, IsInstall: true}, r.caps)
	if err != nil {
		return nil, chartErr(fmt.Errorf("compute values: %w", err))
	}
	var eng helmengine.Engine
	files, err := eng.RenderWithContext(ctx, chrt, vals)
	if err != nil {
		return nil, []*engine.FileError{renderError(err, chrt, origins, base)}
	}
	var marks []mark
	marked, err := eng.RenderWithContext(ctx, instrumentChart(chrt, &marks), vals)
	if err != nil {
		marked = nil // positions fall back to the template file
	}

	var objs []*engine.Object
	var errs []*engine.FileError
	for _, crd := range chrt.CRDObjects() {
		o, e := r.parser.ParseRendered(displayPath(crd.Filename, origins), crd.File.Data)
		for _, obj := range o {
			obj.Source.Origin = target
		}
		objs = append(objs, o...)
		errs = append(errs, e...)
	}
	names := make([]string, 0, len(files))
	for n, content := range files {
		if !strings.HasSuffix(n, "NOTES.txt") && strings.TrimSpace(content) != "" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		display := displayPath(n, origins)
		attr := newAttribution(n, files[n], marked[n], marks)
		o, e := r.parser.ParseRendered(display, []byte(files[n]))
		for _, obj := range o {
			obj.Source.Origin = target
			obj.Locator = &helmLocator{rendered: obj.Locator, attr: attr}
			obj.Source.Line, obj.Source.Column, _ = obj.Locator.Locate(nil)
			r.defaultNamespace(obj)
		}
		for _, fe := range e {
			errs = append(errs, placeRenderedError(fe, attr))
		}
		objs = append(objs, o...)
	}
	return objs, errs
}

// defaultNamespace puts an object of a built-in namespaced kind that names
// no namespace in the release's, as `helm install` does.
func (r *Renderer) defaultNamespace(obj *engine.Object) {
	if r.namespace == "" || obj.Namespace != "" || !clientgoscheme.Scheme.Recognizes(obj.GVK) || engine.IsClusterScoped(obj.GroupKind()) {
		return
	}
	md, ok := obj.Raw["metadata"].(map[string]any)
	if !ok {
		return
	}
	md["namespace"] = r.namespace
	obj.Namespace = r.namespace
}

// placeRenderedError moves an error in a template's output (YAML that does
// not parse, a document without kind) to the template line that wrote it,
// or says which line of the output it is on.
func placeRenderedError(fe *engine.FileError, attr *attribution) *engine.FileError {
	if fe.Line <= 0 {
		return fe
	}
	col := max(fe.Column, 1)
	if line, c, ok := attr.at(fe.Line, col); ok {
		out := *fe
		out.Line, out.Column = line, c
		return &out
	}
	return &engine.FileError{Location: engine.Location{File: fe.File}, Err: fmt.Errorf("line %d of the rendered template: %w", fe.Line, fe.Err)}
}

// archiveSep separates a chart archive's path from the path of a file in
// it, as Terraform and kustomize name a directory inside an archive or a
// repository.
const archiveSep = "//"

// chartOrigins records under which path the files of c and of each of its
// subcharts are shown, keyed by the chart's full path in template names
// ("web", "web/charts/db"): its directory, or its archive, "//" and the
// archive's top directory. A subchart that cannot be told apart from
// another is left out; its files are then shown by Helm's name.
func chartOrigins(c *chart.Chart, full, base string, out map[string]string) {
	out[full] = base
	entries := map[string][]*common.File{}
	for _, f := range c.Raw {
		rest, ok := strings.CutPrefix(f.Name, "charts/")
		if !ok || path.Ext(f.Name) == ".prov" {
			continue
		}
		n, _, _ := strings.Cut(rest, "/")
		entries[n] = append(entries[n], f)
	}
	type sub struct{ entry, base string }
	byName := map[string][]sub{}
	for n, fs := range entries {
		if strings.IndexAny(n, "_.") == 0 {
			continue
		}
		var chartYAML []byte
		subBase := base + "/charts/" + n
		if path.Ext(n) == ".tgz" {
			if len(fs) != 1 {
				continue
			}
			af, err := archive.LoadArchiveFiles(bytes.NewReader(fs[0].Data))
			if err != nil {
				continue
			}
			for _, f := range af {
				if f.Name == "Chart.yaml" {
					chartYAML = f.Data
				}
			}
			subBase += archiveSep + tarTop(fs[0].Data)
		} else {
			for _, f := range fs {
				if f.Name == "charts/"+n+"/Chart.yaml" {
					chartYAML = f.Data
				}
			}
		}
		var md struct {
			Name string `json:"name"`
		}
		if chartYAML == nil || yaml.Unmarshal(chartYAML, &md) != nil || md.Name == "" {
			continue
		}
		byName[md.Name] = append(byName[md.Name], sub{entry: n, base: subBase})
	}
	for _, d := range c.Dependencies() {
		subs := byName[d.Name()]
		if len(subs) != 1 {
			continue
		}
		chartOrigins(d, full+"/charts/"+d.Name(), subs[0].base, out)
		// ProcessDependencies renames aliased copies; their templates are
		// named by the alias.
		for _, dep := range c.Metadata.Dependencies {
			if dep.Name == d.Name() && dep.Alias != "" && dep.Alias != d.Name() {
				chartOrigins(d, full+"/charts/"+dep.Alias, subs[0].base, out)
			}
		}
	}
}

// displayPath turns a template or CRD name as Helm gives it
// (web/charts/db/templates/x.yaml) into the path findings report, from
// what the user typed (deploy/web/charts/db/templates/x.yaml).
func displayPath(name string, origins map[string]string) string {
	best := ""
	for full := range origins {
		if strings.HasPrefix(name, full+"/") && len(full) > len(best) {
			best = full
		}
	}
	if best == "" {
		return name
	}
	return origins[best] + name[len(best):]
}

// archiveTop returns the top directory of a chart archive on disk.
func archiveTop(p string) string {
	data, err := os.ReadFile(p)
	if err != nil {
		return ""
	}
	return tarTop(data)
}

// tarTop returns the first path element of a gzipped tar's first file,
// which Helm's loader strips from every name.
func tarTop(data []byte) string {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return ""
	}
	tr := tar.NewReader(zr)
	for {
		hd, err := tr.Next()
		if err != nil {
			return ""
		}
		if hd.Typeflag == tar.TypeXGlobalHeader || hd.Typeflag == tar.TypeXHeader {
			continue
		}
		name := strings.ReplaceAll(hd.Name, `\`, "/")
		if top, _, ok := strings.Cut(name, "/"); ok {
			return top
		}
		if hd.FileInfo().IsDir() {
			return strings.TrimSuffix(name, "/")
		}
	}
}

// missingDependencies reports the dependencies Chart.yaml names that are
// not in charts/: kubegate never downloads them.
func missingDependencies(c *chart.Chart) error {
	var missing []string
	for _, d := range c.Metadata.Dependencies {
		if !slices.ContainsFunc(c.Dependencies(), func(sc *chart.Chart) bool { return sc.Name() == d.Name }) {
			missing = append(missing, d.Name)
		}
	}
	switch len(missing) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("dependency %s is in Chart.yaml but not in charts/; kubegate works offline: run helm dependency build first", missing[0])
	}
	return fmt.Errorf("dependencies %s are in Chart.yaml but not in charts/; kubegate works offline: run helm dependency build first", strings.Join(missing, ", "))
}

// templateLocRE finds a template position in Helm's error text:
// NAME:LINE or NAME:LINE:COL.
var templateLocRE = regexp.MustCompile(`([^\s():<>"]+):(\d+)(?::(\d+))?`)

// helmErrPrefixRE is the position Helm puts before the message of a parse
// error or a failed required or fail; the error's location says it.
var helmErrPrefixRE = regexp.MustCompile(`^(?:parse|execution) error at \([^)]*\): `)

// renderError places a failed render at the template position Helm
// reports: the innermost one, where the failing action is.
func renderError(err error, c *chart.Chart, origins map[string]string, base string) *engine.FileError {
	msg := strings.Join(strings.Fields(err.Error()), " ")
	known := map[string]bool{}
	var collect func(c *chart.Chart)
	collect = func(c *chart.Chart) {
		for _, t := range c.Templates {
			known[path.Join(c.ChartFullPath(), t.Name)] = true
		}
		for _, d := range c.Dependencies() {
			collect(d)
		}
	}
	collect(c)
	loc := engine.Location{File: base}
	for _, m := range templateLocRE.FindAllStringSubmatch(msg, -1) {
		if !known[m[1]] {
			continue
		}
		loc.File = displayPath(m[1], origins)
		loc.Line, _ = strconv.Atoi(m[2])
		loc.Column, _ = strconv.Atoi(m[3])
	}
	if loc.Line > 0 {
		msg = helmErrPrefixRE.ReplaceAllString(msg, "")
	}
	return &engine.FileError{Location: loc, Err: fmt.Errorf("render chart %s: %s", c.Name(), msg)}
}
