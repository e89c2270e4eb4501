package render

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kubegate/kubegate/engine/manifest"
)

func TestTarget(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"web/Chart.yaml":                       chartYAML,
		"web/values.yaml":                      "",
		"web/values-prod.yaml":                 "",
		"web/templates/deploy.yaml":            "",
		"web/templates/sub/x.yaml":             "",
		"web/crds/crd.yaml":                    "",
		"web/files/config.yaml":                "",
		"web/charts/db/Chart.yaml":             chartYAML,
		"web/charts/db/templates/x.yaml":       "",
		"base/kustomization.yaml":              "resources:\n- deploy.yaml\n- ./svc.yaml\npatches:\n- path: patches/replicas.yaml\n",
		"base/deploy.yaml":                     "",
		"base/svc.yaml":                        "",
		"base/patches/replicas.yaml":           "",
		"base/prod-deploy.yaml":                "",
		"base/unlisted.yaml":                   "",
		"overlay/Kustomization":                "",
		"plain/deploy.yaml":                    "",
		"both/Chart.yaml":                      chartYAML,
		"both/kustomization.yaml":              "",
		"web-0.1.0.tgz":                        "",
		"standalone/Chart.yaml":                chartYAML,
		"standalone/nested/notachart/x.yaml":   "",
		"standalone/templates/nested/deep.yml": "",
	})
	p := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
	tests := []struct {
		name  string
		path  string
		isDir bool
		named bool
		want  string
	}{
		{name: "chart directory", path: "web", isDir: true, named: true, want: "web"},
		{name: "chart met in a walk", path: "web", isDir: true, want: "web"},
		{name: "kustomization directory", path: "base", isDir: true, want: "base"},
		{name: "Kustomization file name", path: "overlay", isDir: true, want: "overlay"},
		{name: "Chart.yaml wins over a kustomization beside it", path: "both", isDir: true, want: "both"},
		{name: "plain directory", path: "plain", isDir: true, named: true, want: ""},
		{name: "chart archive named", path: "web-0.1.0.tgz", named: true, want: "web-0.1.0.tgz"},
		{name: "chart archive in a walk is not read", path: "web-0.1.0.tgz", want: ""},
		{name: "kustomization file named", path: "base/kustomization.yaml", named: true, want: "base"},
		{name: "resource of a kustomization named", path: "base/deploy.yaml", named: true, want: "base"},
		{name: "resource listed with ./", path: "base/svc.yaml", named: true, want: "base"},
		{name: "patch in a subdirectory", path: "base/patches/replicas.yaml", named: true, want: "base"},
		{name: "a name that only ends like a listed one", path: "base/prod-deploy.yaml", named: true, want: ""},
		{name: "a file the kustomization does not list", path: "base/unlisted.yaml", named: true, want: ""},
		{name: "a listed file met in a walk is not a target", path: "base/deploy.yaml", want: ""},
		{name: "template named", path: "web/templates/deploy.yaml", named: true, want: "web"},
		{name: "nested template named", path: "web/templates/sub/x.yaml", named: true, want: "web"},
		{name: "templates directory named", path: "web/templates", isDir: true, named: true, want: "web"},
		{name: "values file named", path: "web/values-prod.yaml", named: true, want: "web"},
		{name: "Chart.yaml named", path: "web/Chart.yaml", named: true, want: "web"},
		{name: "CRD of a chart named", path: "web/crds/crd.yaml", named: true, want: "web"},
		{name: "data file of a chart is a manifest", path: "web/files/config.yaml", named: true, want: ""},
		{name: "subchart template belongs to the top chart", path: "web/charts/db/templates/x.yaml", named: true, want: "web"},
		{name: "subchart named is a chart", path: "web/charts/db", isDir: true, named: true, want: "web/charts/db"},
		{name: "deep template", path: "standalone/templates/nested/deep.yml", named: true, want: "standalone"},
		{name: "other directory in a chart", path: "standalone/nested/notachart/x.yaml", named: true, want: ""},
		{name: "plain file", path: "plain/deploy.yaml", named: true, want: ""},
	}
	r := newRenderer(t, Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.Target(p(tt.path), tt.isDir, tt.named)
			want := ""
			if tt.want != "" {
				want = p(tt.want)
			}
			if (got == "") != (want == "") || got != "" && filepath.Clean(got) != filepath.Clean(want) {
				t.Errorf("Target(%s) = %q, want %q", tt.path, got, want)
			}
		})
	}
}

func TestNewRejectsBadValues(t *testing.T) {
	dir := writeFiles(t, map[string]string{"bad.yaml": "a: [\n", "good.yaml": "a: 1\n"})
	tests := []struct {
		name string
		opts Options
	}{
		{name: "missing values file", opts: Options{ValueFiles: []string{filepath.Join(dir, "none.yaml")}}},
		{name: "values file that is not YAML", opts: Options{ValueFiles: []string{filepath.Join(dir, "bad.yaml")}}},
		{name: "--set without =", opts: Options{Set: []string{"a.b"}}},
		{name: "--set-string without =", opts: Options{SetString: []string{"a"}}},
		{name: "kubernetes version", opts: Options{KubeVersion: "one.two"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(nil, tt.opts); err == nil {
				t.Error("New succeeded, want an error")
			}
		})
	}
	if _, err := New(nil, Options{ValueFiles: []string{filepath.Join(dir, "good.yaml")}, Set: []string{"b=2"}, SetString: []string{"c=3"}}); err != nil {
		t.Errorf("New with good values: %v", err)
	}
}

// TestLoaderWithRenderer walks a directory the way lint does: charts and
// kustomizations are built once each, however they are named, and none of
// their files is read as a manifest of its own.
func TestLoaderWithRenderer(t *testing.T) {
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n"
	dir := writeFiles(t, map[string]string{
		"deploy/web/Chart.yaml":              chartYAML,
		"deploy/web/values.yaml":             "name: from-chart\n",
		"deploy/web/templates/cm.yaml":       fmt.Sprintf(cm, "{{ .Values.name }}"),
		"deploy/web/templates/_helpers.tpl":  "{{- define \"x\" -}}{{- end -}}\n",
		"deploy/kust/kustomization.yaml":     "resources: [cm.yaml]\nnamePrefix: k-\n",
		"deploy/kust/cm.yaml":                fmt.Sprintf(cm, "from-kustomize"),
		"deploy/kust/sub/not-a-resource.yml": "this: is not read\n",
		"deploy/plain/cm.yaml":               fmt.Sprintf(cm, "plain"),
		"deploy/.hidden/Chart.yaml":          chartYAML,
	})
	t.Chdir(dir)
	r := newRenderer(t, Options{})
	l := &manifest.Loader{Parser: manifest.NewParser(manifest.DefaultLimits()), Renderer: r}
	res := l.Load(context.Background(), []string{"deploy", "deploy/web/templates/cm.yaml", "deploy/kust/kustomization.yaml"})
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	wantFiles := []string{"deploy/kust", "deploy/plain/cm.yaml", "deploy/web"}
	if diff := cmp.Diff(wantFiles, res.Files); diff != "" {
		t.Errorf("files mismatch (-want +got):\n%s", diff)
	}
	var got []string
	for _, o := range res.Objects {
		got = append(got, fmt.Sprintf("%s %s:%d", o.Name, o.Source.File, o.Source.Line))
	}
	want := []string{
		"k-from-kustomize deploy/kust/cm.yaml:1",
		"plain deploy/plain/cm.yaml:1",
		"from-chart deploy/web/templates/cm.yaml:1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("objects mismatch (-want +got):\n%s", diff)
	}
}
