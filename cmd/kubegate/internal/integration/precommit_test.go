//go:build integration

package integration

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// requireTool returns the path of a program the test needs. It skips the
// test when the program is missing on a developer's machine, and fails it
// under CI or KUBEGATE_E2E=1, so that a lane that was meant to run cannot
// pass by skipping.
func requireTool(t *testing.T, name, install string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("%s is not installed (%s)", name, install)
	if os.Getenv("KUBEGATE_E2E") != "" || os.Getenv("CI") != "" {
		t.Fatalf("%s; KUBEGATE_E2E or CI is set, so this lane must run", msg)
	}
	t.Skipf("%s; set KUBEGATE_E2E=1 to make this a failure", msg)
	return ""
}

// runCmd runs a program in dir with env and returns its combined output
// and whether it succeeded; it fails the test only when the program cannot
// be started.
func runCmd(t *testing.T, dir string, env []string, name string, args ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir, cmd.Env = dir, env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("run %s %s: %v", name, strings.Join(args, " "), err)
	}
	return out.String(), err == nil
}

// mustRun runs a program that must succeed.
func mustRun(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	out, ok := runCmd(t, dir, env, name, args...)
	if !ok {
		t.Fatalf("%s %s in %s failed:\n%s", name, strings.Join(args, " "), dir, out)
	}
	return out
}

// gitEnv is the environment for git and pre-commit: the test's own,
// without the GIT_ variables of any git that runs the test (a hook would
// point GIT_DIR elsewhere), and without the user's git configuration.
func gitEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") {
			env = append(env, kv)
		}
	}
	return append(env, append([]string{
		"GIT_CONFIG_GLOBAL=" + os.DevNull,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=kubegate test", "GIT_AUTHOR_EMAIL=test@kubegate.invalid",
		"GIT_COMMITTER_NAME=kubegate test", "GIT_COMMITTER_EMAIL=test@kubegate.invalid",
	}, extra...)...)
}

// snapshotRepo commits the repository's current files (tracked and
// untracked, less what .gitignore leaves out: what `git add -A` would
// commit) into a new git repository, and returns its path and commit.
// pre-commit clones hook repositories at a rev; the checkout under test may
// hold changes not committed yet, and CI's clean clone is covered the same
// way.
func snapshotRepo(t *testing.T, root string, env []string) (dir, rev string) {
	t.Helper()
	list := mustRun(t, root, env, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	dir = t.TempDir()
	copied := 0
	for _, name := range strings.Split(strings.TrimRight(list, "\x00"), "\x00") {
		src := filepath.Join(root, filepath.FromSlash(name))
		st, err := os.Lstat(src)
		switch {
		case err != nil && os.IsNotExist(err):
			continue // deleted in the work tree, not yet in the index
		case err != nil:
			t.Fatal(err)
		case !st.Mode().IsRegular():
			t.Fatalf("snapshot: %s is not a regular file; teach snapshotRepo to copy it", name)
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, b, st.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
		copied++
	}
	if copied == 0 {
		t.Fatalf("snapshot: git ls-files in %s listed no file", root)
	}
	mustRun(t, dir, env, "git", "init", "-q", "-b", "main")
	mustRun(t, dir, env, "git", "add", "-A")
	mustRun(t, dir, env, "git", "commit", "-q", "-m", "snapshot of the kubegate checkout under test")
	return dir, strings.TrimSpace(mustRun(t, dir, env, "git", "rev-parse", "HEAD"))
}

// lineCol is the 1-based line and column where needle starts in text.
func lineCol(t *testing.T, text, needle string) (int, int) {
	t.Helper()
	i := strings.Index(text, needle)
	if i < 0 {
		t.Fatalf("%q not in the manifest", needle)
	}
	line := strings.Count(text[:i], "\n") + 1
	return line, i - strings.LastIndex(text[:i], "\n")
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

const cleanManifest = `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  LOG_LEVEL: info
`

// violatingManifest holds one error-level finding, privileged-container;
// its warnings do not fail a commit at the default --fail-on error.
const violatingManifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27.3
          securityContext:
            privileged: true
`

// TestPreCommitHooks installs each hook of .pre-commit-hooks.yaml with
// Debian's pre-commit in a new git repository, and commits through it: a
// clean manifest (with YAML and JSON files around it that are not
// manifests) commits, a violating one is refused with kubegate's finding
// at its file:line:col.
func TestPreCommitHooks(t *testing.T) {
	preCommit := requireTool(t, "pre-commit", "apt-get install pre-commit")
	goTool := requireTool(t, "go", "Go's bin directory on PATH")
	root := repoRoot(t)

	// pre-commit's clones and the golang hook's build live here, not in
	// ~/.cache/pre-commit. The golang hook builds with GOPATH set to its
	// own directory; GOMODCACHE keeps the modules Go already has, so the
	// build downloads nothing that this checkout's build did not.
	preCommitHome := t.TempDir()
	modCache := strings.TrimSpace(mustRun(t, root, os.Environ(), goTool, "env", "GOMODCACHE"))
	env := gitEnv("PRE_COMMIT_HOME="+preCommitHome, "GOMODCACHE="+modCache)

	hooksRepo, rev := snapshotRepo(t, root, env)

	// kubegate-system runs the kubegate on PATH: this checkout's.
	binDir := t.TempDir()
	mustRun(t, root, env, goTool, "build", "-o", filepath.Join(binDir, "kubegate"), "./cmd/kubegate")

	line, col := lineCol(t, violatingManifest, "privileged: true")
	wantFinding := fmt.Sprintf("deploy/bad.yaml:%d:%d: error: ", line, col)

	for _, tc := range []struct {
		hook string
		env  []string
	}{
		{hook: "kubegate", env: env},
		{hook: "kubegate-system", env: append(append([]string(nil), env...), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))},
	} {
		t.Run(tc.hook, func(t *testing.T) {
			repo := t.TempDir()
			mustRun(t, repo, tc.env, "git", "init", "-q", "-b", "main")
			writeFiles(t, repo, map[string]string{
				".pre-commit-config.yaml": fmt.Sprintf("repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: %s\n", hooksRepo, rev, tc.hook),
				"deploy/app.yaml":         cleanManifest,
				// YAML that is no manifest, under a hidden directory: the
				// hook leaves it out.
				".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n",
				// JSON that is no manifest: the hook reads YAML only.
				"package.json": `{"name": "shop", "version": "1.0.0"}` + "\n",
			})
			mustRun(t, repo, tc.env, preCommit, "install")

			start := time.Now()
			mustRun(t, repo, tc.env, "git", "add", "-A")
			out, ok := runCmd(t, repo, tc.env, "git", "commit", "-m", "clean")
			t.Logf("clean commit (%v):\n%s", time.Since(start).Round(time.Millisecond), out)
			if !ok {
				t.Fatalf("the clean commit was refused:\n%s", out)
			}
			if !strings.Contains(out, "kubegate") || !strings.Contains(out, "Passed") {
				t.Errorf("the clean commit's output does not show the kubegate hook passing:\n%s", out)
			}

			writeFiles(t, repo, map[string]string{"deploy/bad.yaml": violatingManifest})
			mustRun(t, repo, tc.env, "git", "add", "-A")
			out, ok = runCmd(t, repo, tc.env, "git", "commit", "-m", "violating")
			if ok {
				t.Fatalf("the commit of a privileged container went through:\n%s", out)
			}
			for _, want := range []string{"- hook id: " + tc.hook, "- exit code: 1", wantFinding} {
				if !strings.Contains(out, want) {
					t.Errorf("the refused commit's output lacks %q:\n%s", want, out)
				}
			}
			if !containsLine(out, wantFinding, "[privileged-container]") {
				t.Errorf("no line of the output starts with %q and names the rule [privileged-container]:\n%s", wantFinding, out)
			}
			if n := strings.TrimSpace(mustRun(t, repo, tc.env, "git", "rev-list", "--count", "HEAD")); n != "1" {
				t.Errorf("%s commits on main, want 1: the refused commit was made", n)
			}

			if tc.hook == "kubegate" {
				// The golang hook ran a kubegate that pre-commit built.
				built, _ := filepath.Glob(filepath.Join(preCommitHome, "*", "golangenv-*", "bin", "kubegate"))
				if len(built) == 0 {
					t.Errorf("no kubegate built by pre-commit under %s", preCommitHome)
					_ = filepath.WalkDir(preCommitHome, func(p string, d fs.DirEntry, err error) error {
						if err == nil && d.IsDir() && strings.Count(strings.TrimPrefix(p, preCommitHome), string(filepath.Separator)) > 2 {
							return filepath.SkipDir
						}
						t.Log(p)
						return nil
					})
				}
			}
		})
	}
}

// containsLine reports whether a line of out starts with prefix and
// contains sub.
func containsLine(out, prefix, sub string) bool {
	for l := range strings.Lines(out) {
		if strings.HasPrefix(l, prefix) && strings.Contains(l, sub) {
			return true
		}
	}
	return false
}
