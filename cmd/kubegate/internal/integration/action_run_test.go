//go:build integration

package integration

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestActionShellcheck lints the action's steps and the README's workflows
// with actionlint and shellcheck, which checks every run: script; and
// runs shellcheck over the scripts this lane owns.
func TestActionShellcheck(t *testing.T) {
	shellcheck := requireTool(t, "shellcheck", "apt-get install shellcheck")
	if errs := lintWorkflow(t, "action.yml", actionAsWorkflow(t), shellcheck, ""); len(errs) > 0 {
		t.Errorf("actionlint with shellcheck on action.yml's steps:\n%s", strings.Join(errs, "\n"))
	}
	for i, wf := range readmeBlocks(t, "GitHub Actions", "yaml") {
		local := kubegateAction.ReplaceAllString(wf, "uses: ./")
		project := t.TempDir()
		if err := os.WriteFile(filepath.Join(project, "action.yml"), readRepoFile(t, "action.yml"), 0o644); err != nil {
			t.Fatal(err)
		}
		if errs := lintWorkflow(t, filepath.Join(project, "readme.yml"), []byte(local), shellcheck, project); len(errs) > 0 {
			t.Errorf("README workflow %d: actionlint with shellcheck:\n%s", i+1, strings.Join(errs, "\n"))
		}
	}
	out, ok := runCmd(t, repoRoot(t), os.Environ(), shellcheck, "docs/bench/startup.sh")
	if !ok {
		t.Errorf("shellcheck docs/bench/startup.sh:\n%s", out)
	}
}

// actionExpr is the only expression the action's step environments use
// besides inputs.
var actionExpr = regexp.MustCompile(`^\$\{\{ (inputs\.[A-Za-z0-9_-]+|github\.action_path) \}\}$`)

// runnerStep runs one of the action's run: steps as the runner does
// (bash --noprofile --norc -eo pipefail), with its env: evaluated from
// inputs, and the runner's files and variables in a temporary directory.
// It returns the step's output, whether it succeeded, and what it wrote to
// GITHUB_OUTPUT.
type runner struct {
	t          *testing.T
	root       string // the action's checkout: github.action_path
	temp       string // RUNNER_TEMP
	path       []string
	inputs     map[string]string
	outputFile string
}

func newRunner(t *testing.T, inputs map[string]string) *runner {
	t.Helper()
	r := &runner{t: t, root: repoRoot(t), temp: t.TempDir(), inputs: map[string]string{}}
	for name, in := range loadAction(t).Inputs {
		r.inputs[name] = *in.Default
	}
	for k, v := range inputs {
		if _, ok := r.inputs[k]; !ok {
			t.Fatalf("the action has no input %s", k)
		}
		r.inputs[k] = v
	}
	return r
}

func (r *runner) run(s actionStep) (string, bool, map[string]string) {
	t := r.t
	t.Helper()
	dir := t.TempDir()
	githubPath := filepath.Join(dir, "github_path")
	r.outputFile = filepath.Join(dir, "github_output")
	for _, f := range []string{githubPath, r.outputFile} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	script := filepath.Join(dir, "step.sh")
	if err := os.WriteFile(script, []byte(s.Run), 0o644); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(),
		"RUNNER_TEMP="+r.temp, "GITHUB_PATH="+githubPath, "GITHUB_OUTPUT="+r.outputFile,
		"PATH="+strings.Join(append(slices.Clone(r.path), os.Getenv("PATH")), string(os.PathListSeparator)))
	for k, v := range s.Env {
		m := actionExpr.FindStringSubmatch(v)
		if m == nil {
			t.Fatalf("step %s: env.%s = %q; the test evaluates only ${{ inputs.NAME }} and ${{ github.action_path }}", s.Name, k, v)
		}
		val := r.root
		if name, ok := strings.CutPrefix(m[1], "inputs."); ok {
			val = r.inputs[name]
		}
		env = append(env, k+"="+val)
	}
	// The lint step runs in the workspace: the checkout here.
	out, ok := runCmd(t, r.root, env, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
	added, err := os.ReadFile(githubPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range strings.Fields(string(added)) {
		r.path = append([]string{p}, r.path...)
	}
	written, err := os.ReadFile(r.outputFile)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{}
	for _, l := range strings.Split(strings.TrimSpace(string(written)), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			outputs[k] = v
		}
	}
	return out, ok, outputs
}

func actionStepNamed(t *testing.T, name string) actionStep {
	t.Helper()
	for _, s := range loadAction(t).Runs.Steps {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("action.yml has no step %q", name)
	return actionStep{}
}

// TestActionRuns runs the action's install and lint scripts for real:
// kubegate is built from the action's checkout (the version input left
// empty), and the lint step's exit code, annotations and outputs follow
// kubegate's. The SARIF upload is GitHub's own action; sarif is false here
// (the step then writes no report).
func TestActionRuns(t *testing.T) {
	install, lint := actionStepNamed(t, "Install kubegate"), actionStepNamed(t, "Lint")

	base := newRunner(t, nil)
	out, ok, _ := base.run(install)
	if !ok {
		t.Fatalf("install step failed:\n%s", out)
	}
	if !strings.HasPrefix(out, "kubegate ") || len(base.path) != 1 {
		t.Fatalf("install step: output %q, PATH additions %v; want kubegate's version and its directory", out, base.path)
	}

	for _, tc := range []struct {
		name       string
		inputs     map[string]string
		wantOK     bool
		wantCode   string
		wantOut    []string
		wantNotOut []string
		// wantSARIF: the step names a SARIF file, holding results, for
		// the upload step.
		wantSARIF bool
	}{
		{
			name:     "clean at the default fail-on",
			inputs:   map[string]string{"paths": "testdata/examples/web.yaml", "sarif": "false"},
			wantOK:   true,
			wantCode: "0",
			wantOut:  []string{"::warning file=testdata/examples/web.yaml,line=21,col=11,title=capabilities::"},
		},
		{
			name:     "fail-on warning",
			inputs:   map[string]string{"paths": "testdata/examples/web.yaml", "sarif": "false", "fail-on": "warning"},
			wantCode: "1",
			wantOut:  []string{"::warning file=testdata/examples/web.yaml"},
		},
		{
			name: "paths and args split on blanks and lines",
			inputs: map[string]string{
				"paths": "testdata/examples/web.yaml\ntestdata/examples/worker.yaml  testdata/examples/database.yaml\n",
				"args":  "--only schema\n--only  probe-success-threshold",
				"sarif": "false",
			},
			wantCode: "1",
			wantOut: []string{
				"::error file=testdata/examples/worker.yaml,line=23,col=11,title=schema::",
				"::error file=testdata/examples/database.yaml,line=28,col=13,title=probe-success-threshold::",
			},
			wantNotOut: []string{"::warning"},
		},
		{
			name:      "a SARIF report for the upload step",
			inputs:    map[string]string{"paths": "testdata/examples/web.yaml", "fail-on": "warning"},
			wantCode:  "1",
			wantOut:   []string{"::warning file=testdata/examples/web.yaml"},
			wantSARIF: true,
		},
		{
			name:     "an input error",
			inputs:   map[string]string{"paths": "testdata/examples/missing.yaml", "sarif": "false"},
			wantCode: "2",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRunner(t, tc.inputs)
			r.path = base.path
			out, ok, outputs := r.run(lint)
			if ok != tc.wantOK || outputs["exit-code"] != tc.wantCode {
				t.Errorf("lint step succeeded %v with exit-code output %q, want %v and %q:\n%s", ok, outputs["exit-code"], tc.wantOK, tc.wantCode, out)
			}
			checkSARIF(t, outputs["sarif-file"], tc.wantSARIF)
			for _, w := range tc.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tc.wantNotOut {
				if strings.Contains(out, w) {
					t.Errorf("output has %q:\n%s", w, out)
				}
			}
		})
	}
}

// checkSARIF checks the lint step's sarif-file output: unset when no report
// is wanted, else a SARIF 2.1.0 log with results.
func checkSARIF(t *testing.T, file string, want bool) {
	t.Helper()
	if !want {
		if file != "" {
			t.Errorf("sarif-file output %q set with sarif false", file)
		}
		return
	}
	if file == "" {
		t.Fatal("no sarif-file output: the upload step would be skipped")
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("read the SARIF report: %v", err)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b, &log); err != nil {
		t.Fatalf("the SARIF report is not JSON: %v", err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
		t.Errorf("SARIF report: version %q, %d runs, want 2.1.0 with one run of results", log.Version, len(log.Runs))
	}
}

// TestReadmePreCommitValidates runs pre-commit's own check on the README's
// .pre-commit-config.yaml.
func TestReadmePreCommitValidates(t *testing.T) {
	preCommit := requireTool(t, "pre-commit", "apt-get install pre-commit")
	cfg := filepath.Join(t.TempDir(), ".pre-commit-config.yaml")
	if err := os.WriteFile(cfg, []byte(readmeBlocks(t, "pre-commit", "yaml")[0]), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, ok := runCmd(t, t.TempDir(), os.Environ(), preCommit, "validate-config", cfg); !ok {
		t.Errorf("pre-commit validate-config on README's snippet:\n%s", out)
	}
}

// codeQuality is one entry of GitLab's code quality report.
type codeQuality struct {
	Description string `json:"description"`
	CheckName   string `json:"check_name"`
	Fingerprint string `json:"fingerprint"`
	Severity    string `json:"severity"`
	Location    struct {
		Path  string `json:"path"`
		Lines struct {
			Begin int `json:"begin"`
		} `json:"lines"`
	} `json:"location"`
}

// TestReadmeGitLabCodeQuality runs the jq program of the README's GitLab
// job on kubegate's JSON report of the examples: one code quality entry
// per finding, with GitLab's severities and unique fingerprints.
func TestReadmeGitLabCodeQuality(t *testing.T) {
	requireTool(t, "jq", "apt-get install jq")
	goTool := requireTool(t, "go", "Go's bin directory on PATH")
	var jqScript string
	for _, line := range gitlabKubegateJob(t).Script {
		if jqRedirect.MatchString(line) {
			jqScript = line
		}
	}
	if jqScript == "" {
		t.Fatal("no jq step in the README's GitLab job")
	}
	work := t.TempDir()
	root := repoRoot(t)
	bin := filepath.Join(work, "kubegate")
	mustRun(t, root, os.Environ(), goTool, "build", "-o", bin, "./cmd/kubegate")
	runCmd(t, root, os.Environ(), bin, "lint", "-o", "json="+filepath.Join(work, "kubegate.json"), "testdata/examples")
	var report struct {
		Findings []struct {
			Rule, Severity, File string
			Line                 int
			Suppressed           bool
		} `json:"findings"`
	}
	raw, err := os.ReadFile(filepath.Join(work, "kubegate.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &report); err != nil {
		t.Fatal(err)
	}
	mustRun(t, work, os.Environ(), "bash", "-eo", "pipefail", "-c", jqScript)
	out, err := os.ReadFile(filepath.Join(work, jqRedirect.FindStringSubmatch(jqScript)[1]))
	if err != nil {
		t.Fatal(err)
	}
	var entries []codeQuality
	if err := json.Unmarshal(out, &entries); err != nil {
		t.Fatalf("the code quality report is not a JSON list: %v\n%s", err, out)
	}
	var want []codeQuality
	severity := map[string]string{"error": "major", "warning": "minor", "info": "info"}
	for _, f := range report.Findings {
		if f.Suppressed {
			continue
		}
		var e codeQuality
		e.CheckName, e.Severity, e.Location.Path, e.Location.Lines.Begin = f.Rule, severity[f.Severity], f.File, f.Line
		want = append(want, e)
	}
	if len(want) == 0 {
		t.Fatal("kubegate found nothing in testdata/examples; the test needs findings")
	}
	seen := map[string]bool{}
	for i := range entries {
		e := &entries[i]
		if e.Description == "" || e.Fingerprint == "" {
			t.Errorf("entry %d lacks a description or fingerprint: %+v", i, *e)
		}
		if seen[e.Fingerprint] {
			t.Errorf("fingerprint %q twice", e.Fingerprint)
		}
		seen[e.Fingerprint] = true
		e.Description, e.Fingerprint = "", ""
	}
	if !slices.Equal(want, entries) {
		t.Errorf("code quality entries:\n got %+v\nwant %+v", entries, want)
	}
}
