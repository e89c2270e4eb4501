package integration

import (
	"bufio"
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// readmeBlocks returns the fenced code blocks of language lang in the
// README section headed "## section", in order.
func readmeBlocks(t *testing.T, section, lang string) []string {
	t.Helper()
	var blocks []string
	var cur *strings.Builder
	in := false
	sc := bufio.NewScanner(bytes.NewReader(readRepoFile(t, "README.md")))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case cur != nil && line == "```":
			blocks = append(blocks, cur.String())
			cur = nil
		case cur != nil:
			cur.WriteString(line + "\n")
		case strings.HasPrefix(line, "## "):
			in = strings.TrimPrefix(line, "## ") == section
		case in && line == "```"+lang:
			cur = &strings.Builder{}
		}
	}
	if len(blocks) == 0 {
		t.Fatalf("README.md has no %s block under ## %s", lang, section)
	}
	return blocks
}

// preCommitConfig is a .pre-commit-config.yaml, decoded strictly.
type preCommitConfig struct {
	Repos []struct {
		Repo  string    `yaml:"repo"`
		Rev   string    `yaml:"rev"`
		Hooks []hookDef `yaml:"hooks"`
	} `yaml:"repos"`
}

const repoURL = "https://github.com/kubegate/kubegate"

// TestReadmePreCommit: the README's .pre-commit-config.yaml names this
// repository at a rev and hooks that .pre-commit-hooks.yaml defines.
func TestReadmePreCommit(t *testing.T) {
	blocks := readmeBlocks(t, "pre-commit", "yaml")
	if len(blocks) != 1 {
		t.Fatalf("%d YAML blocks under ## pre-commit, want the one config", len(blocks))
	}
	var cfg preCommitConfig
	decodeStrict(t, []byte(blocks[0]), &cfg)
	if len(cfg.Repos) != 1 || cfg.Repos[0].Repo != repoURL || cfg.Repos[0].Rev == "" {
		t.Fatalf("repos = %+v, want one entry for %s with a rev", cfg.Repos, repoURL)
	}
	var ids []string
	for _, h := range loadHooks(t) {
		ids = append(ids, h.ID)
	}
	for _, h := range cfg.Repos[0].Hooks {
		if !slices.Contains(ids, h.ID) {
			t.Errorf("hook %q is not in .pre-commit-hooks.yaml (%v)", h.ID, ids)
		}
		for _, re := range []string{h.Files, h.Exclude} {
			if _, err := regexp.Compile(re); err != nil {
				t.Errorf("hook %s: %v", h.ID, err)
			}
		}
	}
}

var (
	kubegateAction = regexp.MustCompile(`uses: kubegate/kubegate@\S+`)
	sarifOut       = regexp.MustCompile(`-o sarif=(\S+)`)
)

// TestReadmeGitHubActions lints the README's workflows with actionlint;
// `uses: kubegate/kubegate@REF` is pointed at this checkout's action.yml,
// so its `with:` keys are checked against the action's inputs. Both ways
// (the action, and go install with upload-sarif) must be shown, with the
// permission code scanning needs.
func TestReadmeGitHubActions(t *testing.T) {
	project := t.TempDir()
	if err := os.WriteFile(filepath.Join(project, "action.yml"), readRepoFile(t, "action.yml"), 0o644); err != nil {
		t.Fatal(err)
	}
	usesAction, goInstall := false, false
	for i, wf := range readmeBlocks(t, "GitHub Actions", "yaml") {
		local := kubegateAction.ReplaceAllString(wf, "uses: ./")
		if errs := lintWorkflow(t, filepath.Join(project, "readme.yml"), []byte(local), "", project); len(errs) > 0 {
			t.Errorf("workflow %d: actionlint:\n%s", i+1, strings.Join(errs, "\n"))
		}
		var doc struct {
			Permissions map[string]string `yaml:"permissions"`
		}
		if err := yaml.Unmarshal([]byte(wf), &doc); err != nil {
			t.Fatalf("workflow %d: %v", i+1, err)
		}
		uploads := kubegateAction.MatchString(wf) && !strings.Contains(wf, "sarif: false") ||
			strings.Contains(wf, "github/codeql-action/upload-sarif@")
		if uploads && doc.Permissions["security-events"] != "write" {
			t.Errorf("workflow %d uploads SARIF without permissions: security-events: write", i+1)
		}
		if m := sarifOut.FindStringSubmatch(wf); len(m) == 2 && !strings.Contains(wf, "sarif_file: "+m[1]) {
			t.Errorf("workflow %d writes SARIF to %s and uploads another file", i+1, m[1])
		}
		usesAction = usesAction || kubegateAction.MatchString(wf)
		goInstall = goInstall || strings.Contains(wf, "go install github.com/kubegate/kubegate/cmd/kubegate@")
	}
	if !usesAction || !goInstall {
		t.Errorf("README shows the action: %v, go install: %v; want both", usesAction, goInstall)
	}
}

// gitlabJob is the part of a GitLab CI job the README's snippet relies on.
type gitlabJob struct {
	Image     string   `yaml:"image"`
	Script    []string `yaml:"script"`
	Artifacts struct {
		When    string            `yaml:"when"`
		Reports map[string]string `yaml:"reports"`
	} `yaml:"artifacts"`
}

var (
	junitOut    = regexp.MustCompile(`-o junit=(\S+)`)
	jqRedirect  = regexp.MustCompile(`(?s)^jq .*> (\S+)\n?$`)
	goInstallGL = "go install github.com/kubegate/kubegate/cmd/kubegate@"
)

// gitlabKubegateJob decodes the README's GitLab CI snippet and returns its
// one job.
func gitlabKubegateJob(t *testing.T) gitlabJob {
	t.Helper()
	blocks := readmeBlocks(t, "GitLab CI", "yaml")
	if len(blocks) != 1 {
		t.Fatalf("%d YAML blocks under ## GitLab CI, want one", len(blocks))
	}
	var jobs map[string]gitlabJob
	if err := yaml.Unmarshal([]byte(blocks[0]), &jobs); err != nil {
		t.Fatal(err)
	}
	job, ok := jobs["kubegate"]
	if !ok || len(jobs) != 1 {
		t.Fatalf("jobs %v, want one named kubegate", slices.Collect(maps.Keys(jobs)))
	}
	return job
}

// TestReadmeGitLabCI: the job installs kubegate, keeps its reports when it
// fails, and publishes the files kubegate and jq write.
func TestReadmeGitLabCI(t *testing.T) {
	job := gitlabKubegateJob(t)
	if job.Image == "" || !slices.ContainsFunc(job.Script, func(s string) bool { return strings.HasPrefix(s, goInstallGL) }) {
		t.Errorf("the job needs an image with Go and to %s...", goInstallGL)
	}
	if job.Artifacts.When != "always" {
		t.Errorf("artifacts.when = %q; the reports of a failing job are lost unless it is always", job.Artifacts.When)
	}
	wantReports := map[string]string{}
	for _, line := range job.Script {
		if m := junitOut.FindStringSubmatch(line); m != nil {
			wantReports["junit"] = m[1]
		}
		if m := jqRedirect.FindStringSubmatch(line); m != nil {
			wantReports["codequality"] = m[1]
		}
	}
	if len(wantReports) != 2 {
		t.Fatalf("the script writes reports %v; want a JUnit one from kubegate and a code quality one from jq", wantReports)
	}
	for kind, file := range wantReports {
		if got := job.Artifacts.Reports[kind]; got != file {
			t.Errorf("artifacts.reports.%s = %q, the script writes %q", kind, got, file)
		}
	}
	if !strings.HasPrefix(job.Script[len(job.Script)-1], "exit ") {
		t.Errorf("the script must end by exiting with kubegate's status, so findings fail the job")
	}
}
