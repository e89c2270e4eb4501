package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// legacyIngress is an Ingress whose only finding, deprecated-api, --fix
// resolves; the Service and Secret make its v1 form lint clean.
const legacyIngress = `# front door
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  ingressClassName: nginx
  tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            backend:
              serviceName: web # storefront
              servicePort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
---
apiVersion: v1
kind: Secret
metadata:
  name: shop-tls
  namespace: shop
type: kubernetes.io/tls
data:
  tls.crt: ""
  tls.key: ""
`

// rootPod has findings --fix resolves (privilege-escalation,
// seccomp-profile) and others it leaves (capabilities for a container
// that may run as root, run-as-non-root, ...).
const rootPod = `apiVersion: v1
kind: Pod
metadata:
  name: tool
  namespace: lab
spec:
  containers:
    - name: tool
      image: registry.example.com/lab/tool:1.0
`

func writeTemp(t *testing.T, name, content string, mode os.FileMode) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	return path
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestLintFixRewritesAndRelints(t *testing.T) {
	tests := []struct {
		name     string
		content  string
		args     []string
		wantCode int
		// wantFile are substrings of the rewritten file; wantOut of the
		// report of what remains; wantErr of the notes.
		wantFile, wantNotFile []string
		wantOut, wantNotOut   []string
		wantErr               string
	}{
		{
			name:     "ingress moved, then lints clean",
			content:  legacyIngress,
			args:     []string{"--fail-on", "info"},
			wantCode: ExitOK,
			wantFile: []string{"# front door\napiVersion: networking.k8s.io/v1\n", "            pathType: ImplementationSpecific\n", "                name: web # storefront\n                port:\n                  number: 80\n"},
			wantOut:  []string{"3 objects in 1 file: 0 errors, 0 warnings, 0 info"},
			wantErr:  "fix [deprecated-api]: apiVersion extensions/v1beta1 → networking.k8s.io/v1",
		},
		{
			name:        "what has no fix is reported after the fix",
			content:     rootPod,
			args:        []string{"--fail-on", "warning"},
			wantCode:    ExitFindings,
			wantFile:    []string{"      securityContext:\n        allowPrivilegeEscalation: false\n        seccompProfile:\n          type: RuntimeDefault\n"},
			wantNotFile: []string{"drop:"},
			wantOut:     []string{"[run-as-non-root]", "[capabilities]"},
			wantNotOut:  []string{"[privilege-escalation]", "[seccomp-profile]"},
			wantErr:     `no fix [capabilities]: container "tool" may run as root`,
		},
		{
			name:        "a disabled rule's finding is not fixed",
			content:     rootPod,
			args:        []string{"--disable", "seccomp-profile"},
			wantCode:    ExitOK,
			wantFile:    []string{"allowPrivilegeEscalation: false"},
			wantNotFile: []string{"seccompProfile"},
			wantErr:     "kubegate: 1 finding fixed in 1 file, 1 left as written",
		},
		{
			name:        "--only fixes that rule alone",
			content:     rootPod,
			args:        []string{"--only", "seccomp-profile"},
			wantCode:    ExitOK,
			wantFile:    []string{"seccompProfile:\n          type: RuntimeDefault"},
			wantNotFile: []string{"allowPrivilegeEscalation"},
			wantOut:     []string{"1 object in 1 file: 0 errors, 0 warnings, 0 info"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTemp(t, "m.yaml", tt.content, 0o640)
			args := append([]string{"lint", "--no-color", "--fix"}, tt.args...)
			code, out, errOut := run(t, "", append(args, path)...)
			checkRun(t, code, out, errOut, tt.wantCode, tt.wantOut, tt.wantNotOut, tt.wantErr)
			got := readString(t, path)
			for _, w := range tt.wantFile {
				if !strings.Contains(got, w) {
					t.Errorf("fixed file lacks %q:\n%s", w, got)
				}
			}
			for _, w := range tt.wantNotFile {
				if strings.Contains(got, w) {
					t.Errorf("fixed file has %q:\n%s", w, got)
				}
			}
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o640 {
				t.Errorf("file mode = %v, want 0640 kept", st.Mode().Perm())
			}
			leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*kubegate*"))
			if len(leftovers) > 0 {
				t.Errorf("temporary files left behind: %v", leftovers)
			}
		})
	}
}

func TestLintDiff(t *testing.T) {
	repoRoot(t) // for the golden file
	dir := t.TempDir()
	path := filepath.Join(dir, "ingress.yaml")
	if err := os.WriteFile(path, []byte(legacyIngress), 0o644); err != nil {
		t.Fatal(err)
	}
	clean := filepath.Join(dir, "clean.yaml")
	if err := os.WriteFile(clean, []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var code int
	var out, errOut string
	t.Run("files", func(t *testing.T) {
		t.Chdir(dir) // so the diff names the files as a user would
		code, out, errOut = run(t, "", "lint", "--diff", "ingress.yaml", "clean.yaml")
	})
	if code != ExitFindings {
		t.Errorf("exit code = %d, want %d (a diff)\nstderr:\n%s", code, ExitFindings, errOut)
	}
	golden(t, "fix-diff.txt", out)
	if got := readString(t, path); got != legacyIngress {
		t.Errorf("--diff wrote the file:\n%s", got)
	}
	if !strings.Contains(errOut, "kubegate: 1 finding fixable in 1 file, 0 left as written") {
		t.Errorf("stderr lacks the summary:\n%s", errOut)
	}

	code, out, errOut = run(t, "", "lint", "--diff", clean)
	checkRun(t, code, out, errOut, ExitOK, nil, nil, "kubegate: 0 findings fixable in 0 files")
	if out != "" {
		t.Errorf("--diff with nothing to fix printed:\n%s", out)
	}

	code, out, errOut = run(t, legacyIngress, "lint", "--diff", "-")
	checkRun(t, code, out, errOut, ExitFindings, []string{"--- a/<stdin>\n+++ b/<stdin>\n", "+apiVersion: networking.k8s.io/v1\n"}, nil, "")
}

func TestLintFixRefusals(t *testing.T) {
	helm := "---\n# Source: chart/templates/pod.yaml\n" + rootPod
	tests := []struct {
		name     string
		stdin    string
		file     string // content of the file linted, "" for none
		args     []string
		wantCode int
		wantErr  string
	}{
		{name: "stdin cannot be rewritten", stdin: rootPod, args: []string{"-"}, wantCode: ExitError, wantErr: "--fix rewrites files, and stdin (-) is not one"},
		{name: "helm output is not the template", file: helm, wantCode: ExitOK, wantErr: "the file is rendered by Helm"},
		{name: "a file with input errors is left", file: rootPod + "---\nkind: [\n", wantCode: ExitError, wantErr: "the file has input errors"},
		{name: "lone carriage returns are left", file: strings.ReplaceAll(rootPod, "\n", "\r"), wantCode: ExitOK, wantErr: "kubegate rewrites files whose lines end in \\n or \\r\\n only"},
		{name: "a line separator is left", file: strings.Replace(rootPod, "  name: tool\n", "  name: tool\n  annotations:\n    note: \"a\u2028b\"\n", 1), wantCode: ExitOK, wantErr: "kubegate rewrites files whose lines end in \\n or \\r\\n only"},
		{name: "json is left", file: `{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "x"}, "spec": {"containers": [{"name": "c", "image": "r/c:1"}]}}`, wantCode: ExitOK, wantErr: "kubegate rewrites YAML files only"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"lint", "--no-color", "--fix"}, tt.args...)
			var path string
			if tt.file != "" {
				path = writeTemp(t, "m.yaml", tt.file, 0o644)
				args = append(args, path)
			}
			code, out, errOut := run(t, tt.stdin, args...)
			checkRun(t, code, out, errOut, tt.wantCode, nil, nil, tt.wantErr)
			if path != "" {
				if got := readString(t, path); got != tt.file {
					t.Errorf("file was rewritten:\n%s", got)
				}
			}
		})
	}
}

func TestLintFixKeepsSymlinks(t *testing.T) {
	target := writeTemp(t, "real.yaml", rootPod, 0o644)
	link := filepath.Join(t.TempDir(), "link.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	code, out, errOut := run(t, "", "lint", "--fix", link)
	checkRun(t, code, out, errOut, ExitOK, nil, nil, "fix [privilege-escalation]")
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link.yaml is no longer a symbolic link (%v)", err)
	}
	if !strings.Contains(readString(t, target), "allowPrivilegeEscalation: false") {
		t.Errorf("the link's target was not fixed:\n%s", readString(t, target))
	}
}

func TestLintFixFileNamedTwice(t *testing.T) {
	path := writeTemp(t, "m.yaml", rootPod, 0o644)
	code, out, errOut := run(t, "", "lint", "--fix", path, path)
	checkRun(t, code, out, errOut, ExitOK, nil, nil, "kubegate: 2 findings fixed in 1 file")
	if got := readString(t, path); strings.Count(got, "securityContext:") != 1 {
		t.Errorf("fixed twice over:\n%s", got)
	}
}

// TestLintFixLeavesRenderedInputs: the objects of a chart or a Kustomize
// directory are rendered, so --fix must leave every file of them as it is
// and say why.
func TestLintFixLeavesRenderedInputs(t *testing.T) {
	for _, src := range []string{"charts/web", "kustomize/overlays/prod"} {
		t.Run(src, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "..", "..", "testdata", "render"))); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, dir)
			t.Chdir(dir)
			code, out, errOut := run(t, "", "lint", "--no-color", "--fix", src)
			if code == ExitError {
				t.Fatalf("exit code %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			if want := "no fix [privilege-escalation]: the objects are rendered from the Helm chart or Kustomize directory " + src; !strings.Contains(errOut, want) {
				t.Errorf("stderr lacks %q:\n%s", want, errOut)
			}
			if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
				t.Errorf("--fix changed rendered sources (-before +after):\n%s", diff)
			}
		})
	}
}

// snapshot maps every file under dir to its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestLintDiffReportsErrors: no lint follows --diff, so the errors of its
// own read (a missing file, bad YAML, a chart that does not render) and
// policies that do not compile must reach stderr and make it exit 2.
func TestLintDiffReportsErrors(t *testing.T) {
	dir := t.TempDir()
	bad := writeTemp(t, "bad.yaml", "metadata:\n  name: [\n", 0o644)
	chart := filepath.Join(dir, "brk")
	pol := filepath.Join(dir, "pol")
	for name, content := range map[string]string{
		filepath.Join(chart, "Chart.yaml"):          "apiVersion: v2\nname: brk\nversion: 0.1.0\n",
		filepath.Join(chart, "templates", "x.yaml"): "x: {{ .Values.a | nope }}\n",
		filepath.Join(pol, "bad.rego"):              "package x\ndeny[\n",
	} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		args    []string
		wantErr string
		notErr  string
	}{
		{name: "a missing file", args: []string{filepath.Join(dir, "missing.yaml")}, wantErr: "read manifest: no such file or directory"},
		{name: "bad yaml", args: []string{bad}, wantErr: "bad.yaml:2:3: yaml: did not find expected node content"},
		{name: "a chart that does not render", args: []string{chart}, wantErr: `templates/x.yaml:1: render chart brk: function "nope" not defined`, notErr: "read manifest to fix"},
		{name: "a policy that does not compile", args: []string{"--policy", pol, bad}, wantErr: "bad.rego:3: rego_parse_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, "", append([]string{"lint", "--no-color", "--diff"}, tt.args...)...)
			checkRun(t, code, out, errOut, ExitError, nil, nil, tt.wantErr)
			if tt.notErr != "" && strings.Contains(errOut, tt.notErr) {
				t.Errorf("stderr has %q:\n%s", tt.notErr, errOut)
			}
		})
	}
	// --fix reports a chart that does not render once, through the lint.
	code, out, errOut := run(t, "", "lint", "--no-color", "--fix", chart)
	checkRun(t, code, out, errOut, ExitError, []string{`function "nope" not defined`}, nil, "")
	if strings.Contains(out+errOut, "read manifest to fix") {
		t.Errorf("--fix read the chart directory as a file:\n%s\n%s", out, errOut)
	}
}

// TestLintDiffHunkHeaders: every hunk of --diff says where its lines are
// in the fixed file, also after earlier hunks that changed the line count
// (testdata/fix-hunks.yaml makes go-udiff merge two edits into its first
// hunk, after which its own new-file starts were wrong). Each hunk's
// new-side lines are checked against the file --fix writes.
func TestLintDiffHunkHeaders(t *testing.T) {
	src := readString(t, filepath.Join("testdata", "fix-hunks.yaml"))
	path := writeTemp(t, "hunks.yaml", src, 0o644)
	code, diff, errOut := run(t, "", "lint", "--diff", path)
	if code != ExitFindings {
		t.Fatalf("--diff exit code %d, want %d\n%s", code, ExitFindings, errOut)
	}
	if code, out, errOut := run(t, "", "lint", "--fix", path); code == ExitError {
		t.Fatalf("--fix exit code %d\n%s\n%s", code, out, errOut)
	}
	fixed := strings.SplitAfter(readString(t, path), "\n")
	lines := strings.SplitAfter(diff, "\n")
	hunks := 0
	for i, l := range lines {
		var oldStart, oldCount, newStart, newCount int
		if _, err := fmt.Sscanf(l, "@@ -%d,%d +%d,%d @@", &oldStart, &oldCount, &newStart, &newCount); err != nil {
			continue
		}
		hunks++
		at := newStart - 1
		for _, h := range lines[i+1:] {
			if strings.HasPrefix(h, "@@") || h == "" {
				break
			}
			if h[0] == '-' || h[0] == '\\' {
				continue
			}
			if at >= len(fixed) || fixed[at] != h[1:] {
				t.Errorf("hunk %q: new line %d is %q in the fixed file, the hunk says %q", strings.TrimSpace(l), at+1, fixed[min(at, len(fixed)-1)], h[1:])
				break
			}
			at++
		}
		if at != newStart-1+newCount {
			t.Errorf("hunk %q: %d new-side lines, the header says %d", strings.TrimSpace(l), at-newStart+1, newCount)
		}
	}
	if hunks < 3 {
		t.Fatalf("%d hunks, want at least 3 for this test to mean anything:\n%s", hunks, diff)
	}
}
