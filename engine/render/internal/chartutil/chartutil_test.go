package chartutil

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"helm.sh/helm/v4/pkg/chart/common"
	helmutil "helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	helmv2util "helm.sh/helm/v4/pkg/chart/v2/util"
)

// TestSameAsHelm holds the copy to Helm's own functions, which a test may
// import (it is the kubegate binary that must not): processing
// dependencies (conditions, tags, aliases, import-values) and computing the
// values templates see (globals, subchart scopes, nulls deleting keys),
// for the charts under testdata and the kubegate test chart.
func TestSameAsHelm(t *testing.T) {
	tests := []struct {
		name   string
		chart  string
		values map[string]any
	}{
		{name: "aliases, import-values, globals", chart: filepath.Join("testdata", "parent")},
		{name: "a condition turns a copy off", chart: filepath.Join("testdata", "parent"), values: map[string]any{"replica": map[string]any{"enabled": false}}},
		{name: "a tag turns a dependency on", chart: filepath.Join("testdata", "parent"), values: map[string]any{"tags": map[string]any{"plain": true}}},
		{name: "null removes a default", chart: filepath.Join("testdata", "parent"), values: map[string]any{"removeMe": nil, "primary": map[string]any{"size": nil}}},
		{name: "user globals win", chart: filepath.Join("testdata", "parent"), values: map[string]any{"global": map[string]any{"region": "ap"}}},
		{name: "kubegate's test chart", chart: filepath.Join("..", "..", "..", "..", "testdata", "render", "charts", "web"), values: map[string]any{"cache": map[string]any{"enabled": false}}},
	}
	opts := common.ReleaseOptions{Name: "rel", Namespace: "ns", Revision: 1, IsInstall: true}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ours, theirs := load(t, tt.chart), load(t, tt.chart)
			if err := ProcessDependencies(ours, tt.values); err != nil {
				t.Fatal(err)
			}
			if err := helmv2util.ProcessDependencies(theirs, tt.values); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tree(theirs), tree(ours)); diff != "" {
				t.Errorf("dependencies differ from Helm's (-helm +copy):\n%s", diff)
			}
			got, err := ToRenderValues(ours, tt.values, opts, common.DefaultCapabilities)
			if err != nil {
				t.Fatal(err)
			}
			want, err := helmutil.ToRenderValues(theirs, tt.values, opts, common.DefaultCapabilities)
			if err != nil {
				t.Fatal(err)
			}
			// Capabilities go through as given; the rest is computed.
			if want["Capabilities"] != got["Capabilities"] {
				t.Error("Capabilities differ from Helm's")
			}
			delete(want, "Capabilities")
			delete(got, "Capabilities")
			if diff := cmp.Diff(want.AsMap(), got.AsMap()); diff != "" {
				t.Errorf("values differ from Helm's (-helm +copy):\n%s", diff)
			}
		})
	}
	if !IsCompatibleRange(">=1.30.0-0", "v1.33.0") || IsCompatibleRange("<1.20", "v1.33.0") {
		t.Error("IsCompatibleRange does not compare versions")
	}
}

func load(t *testing.T, dir string) *chart.Chart {
	t.Helper()
	c, err := loader.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// tree lists each chart's full path and values, the parts of a chart
// ProcessDependencies changes.
func tree(c *chart.Chart) map[string]map[string]any {
	out := map[string]map[string]any{}
	var walk func(c *chart.Chart)
	walk = func(c *chart.Chart) {
		out[c.ChartFullPath()] = c.Values
		for _, d := range c.Dependencies() {
			walk(d)
		}
	}
	walk(c)
	return out
}
