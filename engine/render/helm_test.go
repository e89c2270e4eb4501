package render

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	helmv2util "helm.sh/helm/v4/pkg/chart/v2/util"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
)

// writeFiles writes files (relative path -> content) under a new temporary
// directory and returns it.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func newRenderer(t *testing.T, o Options) *Renderer {
	t.Helper()
	if o.KubeVersion == "" {
		o.KubeVersion = "1.33"
	}
	r, err := New(manifest.NewParser(manifest.DefaultLimits()), o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// find returns the object of kind and name, failing the test without it.
func find(t *testing.T, objs []*engine.Object, kind, name string) *engine.Object {
	t.Helper()
	for _, o := range objs {
		if o.Kind == kind && o.Name == name {
			return o
		}
	}
	var have []string
	for _, o := range objs {
		have = append(have, o.Kind+"/"+o.Name)
	}
	t.Fatalf("no %s %q among %v", kind, name, have)
	return nil
}

const chartYAML = "apiVersion: v2\nname: c\nversion: 0.1.0\n"

const helpers = `{{- define "c.labels" -}}
app: web
tier: front
{{- end }}
{{- define "c.cm" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: from-library
{{- end }}
`

// TestHelmPositions renders one template and checks where a field of its
// object is reported: the template line that wrote it, the action that
// printed it, or the nearest field above it that maps.
func TestHelmPositions(t *testing.T) {
	tests := []struct {
		name     string
		template string
		values   string
		kind     string
		objName  string
		path     string
		want     engine.Location
	}{
		{
			name:     "literal line",
			template: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: x\n",
			kind:     "ConfigMap", objName: "cm", path: "data.a",
			want: engine.Location{Line: 6, Column: 3},
		},
		{
			name:     "key before an action",
			template: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.name }}\n",
			values:   "name: cm\n",
			kind:     "ConfigMap", objName: "cm", path: "metadata.name",
			want: engine.Location{Line: 4, Column: 3},
		},
		{
			name:     "lines an include printed point at the include",
			template: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  labels:\n    {{- include \"c.labels\" . | nindent 4 }}\n",
			kind:     "ConfigMap", objName: "cm", path: "metadata.labels.tier",
			want: engine.Location{Line: 6, Column: 5},
		},
		{
			name: "range items point at their template line",
			template: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: app:1\n      env:\n" +
				"        {{- range .Values.env }}\n        - name: {{ .name }}\n          value: {{ .value | quote }}\n        {{- end }}\n",
			values: "env:\n  - {name: A, value: a}\n  - {name: B, value: b}\n",
			kind:   "Pod", objName: "p", path: "spec.containers[0].env[1].value",
			want: engine.Location{Line: 12, Column: 11},
		},
		{
			name:     "text after a right trim",
			template: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  {{- if true }}\n  labels:\n    a: b\n  {{- end }}\n",
			kind:     "ConfigMap", objName: "cm", path: "metadata.labels.a",
			want: engine.Location{Line: 7, Column: 5},
		},
		{
			name: "the branch taken",
			template: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n{{- if .Values.flag }}\n  mode: on\n{{- else }}\n" +
				"  mode: off\n{{- end }}\n",
			values: "flag: false\n",
			kind:   "ConfigMap", objName: "cm", path: "data.mode",
			want: engine.Location{Line: 9, Column: 3},
		},
		{
			name: "toYaml output points at the toYaml",
			template: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: app\n      image: app:1\n" +
				"      resources:\n        {{- toYaml .Values.resources | nindent 8 }}\n",
			values: "resources:\n  limits:\n    cpu: 500m\n",
			kind:   "Pod", objName: "p", path: "spec.containers[0].resources.limits.cpu",
			want: engine.Location{Line: 10, Column: 9},
		},
		{
			name:     "an absent field is at its nearest parent",
			template: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: x\n",
			kind:     "ConfigMap", objName: "cm", path: "data.missing",
			want: engine.Location{Line: 5, Column: 1},
		},
		{
			name:     "an object from a library include",
			template: "# the whole object comes from a helper\n{{ include \"c.cm\" . }}\n",
			kind:     "ConfigMap", objName: "from-library", path: "metadata.name",
			want: engine.Location{Line: 2, Column: 1},
		},
		{
			name:     "second document",
			template: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\ndata:\n  k: v\n",
			kind:     "ConfigMap", objName: "two", path: "data.k",
			want: engine.Location{Line: 11, Column: 3},
		},
		{
			name: "a key before a hash of another template keeps its place",
			template: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  annotations:\n" +
				"    checksum/other: {{ include (print $.Template.BasePath \"/other.yaml\") . | sha256sum }}\n",
			kind: "ConfigMap", objName: "cm", path: "metadata.annotations.checksum/other",
			want: engine.Location{Line: 6, Column: 5},
		},
		{
			name: "another template's text an include printed points at the include",
			template: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n" +
				"  {{- include (print $.Template.BasePath \"/other.yaml\") . | nindent 2 }}\n",
			kind: "ConfigMap", objName: "cm", path: "data.kind",
			want: engine.Location{Line: 6, Column: 3},
		},
		{
			name:     "after a line separator in a value",
			template: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  annotations: {a: \"x\u2028y\"}\ndata:\n  a: x\n",
			kind:     "ConfigMap", objName: "cm", path: "data.a",
			want: engine.Location{Line: 7, Column: 3},
		},
		{
			name:     "CRLF line ends",
			template: "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: cm\r\ndata:\r\n  a: x\r\n",
			kind:     "ConfigMap", objName: "cm", path: "data.a",
			want: engine.Location{Line: 6, Column: 3},
		},
		{
			name:     "random values keep their keys",
			template: "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  token: {{ randAlphaNum 16 }}\n  user: admin\n",
			kind:     "Secret", objName: "s", path: "stringData.user",
			want: engine.Location{Line: 7, Column: 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{
				"Chart.yaml":             chartYAML,
				"values.yaml":            tt.values,
				"templates/_helpers.tpl": helpers,
				"templates/t.yaml":       tt.template,
				// Text other templates include by path.
				"templates/other.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n",
			})
			r := newRenderer(t, Options{})
			objs, errs := r.Render(context.Background(), dir)
			if len(errs) > 0 {
				t.Fatalf("render: %v", errs)
			}
			obj := find(t, objs, tt.kind, tt.objName)
			p, err := engine.ParsePath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.File = filepath.Join(dir, "templates", "t.yaml")
			if diff := cmp.Diff(want, obj.Locate(p)); diff != "" {
				t.Errorf("Locate(%s) mismatch (-want +got):\n%s", tt.path, diff)
			}
			if obj.Source.Origin != dir {
				t.Errorf("Source.Origin = %q, want %q", obj.Source.Origin, dir)
			}
		})
	}
}

// TestHelmPositionsHoldTheirField checks, for every field of every object
// the test chart renders, that a position the marks give is the template
// text of that field (its key) or the action that printed it: never a
// line about something else.
func TestHelmPositionsHoldTheirField(t *testing.T) {
	web := filepath.Join("..", "..", "testdata", "render", "charts", "web")
	// The chart `helm create` scaffolds, with every optional part on.
	scaffold, err := helmv2util.Create("scaffold", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		chart string
		opts  Options
	}{
		{name: "test chart", chart: web},
		{name: "test chart, prod values", chart: web, opts: Options{ValueFiles: []string{filepath.Join(web, "values-prod.yaml")}, Namespace: "shop"}},
		{name: "helm create", chart: scaffold},
		{name: "helm create, all on", chart: scaffold, opts: Options{Set: []string{
			"ingress.enabled=true", "ingress.tls[0].secretName=tls", "ingress.tls[0].hosts[0]=a.example.com",
			"autoscaling.enabled=true", "httpRoute.enabled=true", "podAnnotations.a=b", "podLabels.c=d",
			"nodeSelector.disk=ssd", "tolerations[0].key=k", "volumes[0].name=v", "volumes[0].emptyDir.medium=Memory",
			"volumeMounts[0].name=v", "volumeMounts[0].mountPath=/v",
		}}},
	}
	for _, tt := range tests {
		r := newRenderer(t, tt.opts)
		objs, errs := r.Render(context.Background(), tt.chart)
		if len(errs) > 0 {
			t.Fatalf("%s: render: %v", tt.name, errs)
		}
		checked := 0
		for _, obj := range objs {
			hl, ok := obj.Locator.(*helmLocator)
			if !ok {
				continue // a CRD, read as it is
			}
			data, err := os.ReadFile(obj.Source.File)
			if err != nil {
				t.Fatal(err)
			}
			tmpl := strings.Split(string(data), "\n")
			walkPaths(obj.Raw, nil, func(p engine.Path) {
				if len(p) == 0 || p[len(p)-1].IsIndex {
					return
				}
				rl, rc, exact := hl.rendered.Locate(p)
				if !exact {
					return
				}
				tl, tc, ok := hl.attr.at(rl, rc)
				if !ok {
					return
				}
				line := []rune(tmpl[tl-1])
				if tc-1 > len(line) {
					t.Errorf("%s: %s at %d:%d, past the end of %q", obj.Source.File, p, tl, tc, tmpl[tl-1])
					return
				}
				at := string(line[tc-1:])
				key := p[len(p)-1].Key
				if !strings.HasPrefix(at, "{{") && !strings.HasPrefix(at, key) && !strings.HasPrefix(at, `"`+key) {
					t.Errorf("%s: %s: %s at %d:%d, which reads %q", tt.name, obj.Source.File, p, tl, tc, at)
				}
				checked++
			})
		}
		t.Logf("%s: %d objects, %d fields placed", tt.name, len(objs), checked)
		if checked < 50 {
			t.Errorf("%s: only %d fields placed; the marks are not working", tt.name, checked)
		}
	}
}

// walkPaths calls fn with the path of every node under v.
func walkPaths(v any, p engine.Path, fn func(engine.Path)) {
	fn(p)
	switch v := v.(type) {
	case map[string]any:
		for k, c := range v {
			walkPaths(c, p.Child(k), fn)
		}
	case []any:
		for i, c := range v {
			walkPaths(c, p.Index(i), fn)
		}
	}
}
