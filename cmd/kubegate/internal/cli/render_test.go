package cli

import (
	"os"
	"path/filepath"
	"testing"

	"helm.sh/helm/v4/pkg/chart/v2/loader"
	helmv2util "helm.sh/helm/v4/pkg/chart/v2/util"
)

// TestLintRenderGolden lints a Helm chart and a Kustomize overlay: every
// finding names the template, base or patch line that wrote the field.
func TestLintRenderGolden(t *testing.T) {
	repoRoot(t)
	const chart = "testdata/render/charts/web"
	tests := []struct {
		name   string
		args   []string
		code   int
		golden string
	}{
		{name: "chart", args: []string{chart}, code: ExitOK, golden: "lint-helm.txt"},
		{
			name:   "chart with values, set and namespace",
			args:   []string{chart, "-f", chart + "/values-prod.yaml", "--set", "widget.size=9", "--namespace", "shop"},
			code:   ExitFindings,
			golden: "lint-helm-values.txt",
		},
		{name: "kustomize overlay", args: []string{"testdata/render/kustomize/overlays/prod"}, code: ExitFindings, golden: "lint-kustomize.txt"},
		{
			// Each input error is reported where it is; the other inputs
			// are still linted.
			name: "render errors",
			args: []string{"--only", "replicas-minimum",
				"testdata/render/charts/broken", "testdata/render/charts/nodeps", "testdata/render/charts/badyaml",
				"testdata/render/kustomize/remote", chart},
			code:   ExitError,
			golden: "lint-render-errors.txt",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, "", append([]string{"lint", "--no-color"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d; stderr: %s", code, tt.code, errOut)
			}
			golden(t, tt.golden, out)
		})
	}
}

// TestLintHelmArchive lints a chart archive made by Helm's own packager.
func TestLintHelmArchive(t *testing.T) {
	repoRoot(t)
	c, err := loader.Load("testdata/render/charts/web")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := helmv2util.Save(c, dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "web-0.1.0.tgz")); err != nil {
		t.Fatal(err)
	}
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	code, out, errOut := run(t, "", "lint", "--no-color", "--only", "image-tag", "--only", "schema", "--only", "replicas-minimum",
		"--set", "image.tag=latest", "--set", "widget.size=7", "web-0.1.0.tgz")
	if code != ExitFindings {
		t.Errorf("exit code = %d, want %d; stderr: %s", code, ExitFindings, errOut)
	}
	t.Chdir(root)
	golden(t, "lint-helm-archive.txt", out)
}

// TestLintHelmValues checks that --values, --set and --set-string reach the
// templates, and that a mistake in them is a usage error.
func TestLintHelmValues(t *testing.T) {
	repoRoot(t)
	const chart = "testdata/render/charts/web"
	tag := `testdata/render/charts/web/templates/deployment.yaml:21:11: warning: container "web" uses image "nginx:latest"`
	tests := []struct {
		name       string
		args       []string
		code       int
		wantOut    []string
		wantNotOut []string
		wantErr    string
	}{
		{name: "defaults", args: []string{chart}, code: ExitOK, wantNotOut: []string{"image-tag]"}},
		{name: "--set", args: []string{chart, "--set", "image.tag=latest"}, code: ExitOK, wantOut: []string{tag}},
		{name: "--values", args: []string{chart, "--values", chart + "/values-prod.yaml"}, code: ExitOK, wantOut: []string{tag}},
		{name: "--set after --values", args: []string{chart, "-f", chart + "/values-prod.yaml", "--set", "image.tag=1.27.1"}, code: ExitOK, wantNotOut: []string{"image-tag]"}},
		{name: "--set-string", args: []string{chart, "--set-string", "image.tag=1.0", "--set", "image.repository=busybox"}, code: ExitOK, wantNotOut: []string{"image-tag]"}},
		{name: "--release-name", args: []string{chart, "--release-name", "shop", "--only", "replicas-minimum"}, code: ExitOK, wantOut: []string{`Deployment "shop-web"`, `Deployment "shop-cache"`}},
		{name: "condition turns the subchart off", args: []string{chart, "--set", "cache.enabled=false", "--only", "replicas-minimum"}, code: ExitOK, wantNotOut: []string{"cache"}},
		{name: "bad --set", args: []string{chart, "--set", "image.tag"}, code: ExitError, wantErr: "kubegate: --set image.tag: key \"tag\" has no value"},
		{name: "missing values file", args: []string{chart, "-f", "no-such-values.yaml"}, code: ExitError, wantErr: "kubegate: read values file: open no-such-values.yaml: no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, "", append([]string{"lint", "--no-color", "--only", "image-tag"}, tt.args...)...)
			checkRun(t, code, out, errOut, tt.code, tt.wantOut, tt.wantNotOut, tt.wantErr)
		})
	}
}
