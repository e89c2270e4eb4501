package manifest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLoaderExcludeAndHiddenFiles(t *testing.T) {
	dir := t.TempDir()
	cm := func(name string) string {
		return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\n"
	}
	for name, content := range map[string]string{
		"keep.yaml":            cm("keep"),
		"skip.yaml":            cm("skip"),
		"vendor/v.yaml":        cm("vendor"),
		"only-excluded/x.yaml": cm("x"),
		".kubegate.yaml":       "version: 1\n",
		"sub/.gitlab-ci.yml":   "stages: [lint]\n",
		"sub/app.yaml":         cm("sub"),
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var asked []string
	exclude := func(p string) bool {
		rel, _ := filepath.Rel(dir, p)
		asked = append(asked, filepath.ToSlash(rel))
		return rel == "skip.yaml" || rel == "vendor" || strings.HasPrefix(rel, "only-excluded"+string(filepath.Separator))
	}
	tests := []struct {
		name      string
		args      []string
		exclude   func(string) bool
		wantNames []string
		wantErrs  []string
		wantAsked []string
	}{
		{
			name:      "walk",
			args:      []string{dir},
			exclude:   exclude,
			wantNames: []string{"keep", "sub"},
			// vendor/ is not entered; hidden files are not offered.
			wantAsked: []string{".", "keep.yaml", "only-excluded", "only-excluded/x.yaml", "skip.yaml", "sub", "sub/app.yaml", "vendor"},
		},
		{
			name:      "named files and directories",
			args:      []string{filepath.Join(dir, "skip.yaml"), filepath.Join(dir, "only-excluded"), filepath.Join(dir, ".kubegate.yaml")},
			exclude:   exclude,
			wantNames: nil,
			// A directory whose files are all excluded is no error; a
			// hidden file named explicitly is read.
			wantErrs:  []string{"DIR/.kubegate.yaml:1:1: object has no apiVersion"},
			wantAsked: []string{"skip.yaml", "only-excluded", "only-excluded/x.yaml", ".kubegate.yaml"},
		},
		{
			name:      "no exclude",
			args:      []string{dir},
			wantNames: []string{"keep", "x", "skip", "sub", "vendor"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			asked = nil
			l := &Loader{Parser: NewParser(DefaultLimits()), Exclude: tt.exclude}
			res := l.Load(context.Background(), tt.args)
			var names, errs []string
			for _, o := range res.Objects {
				names = append(names, o.Name)
			}
			for _, e := range res.Errors {
				errs = append(errs, strings.ReplaceAll(e.Error(), dir, "DIR"))
			}
			if diff := cmp.Diff(tt.wantNames, names); diff != "" {
				t.Errorf("objects (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantErrs, errs); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantAsked, asked); diff != "" {
				t.Errorf("exclude asked about (-want +got):\n%s", diff)
			}
		})
	}
}
