package cli

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	yaml "go.yaml.in/yaml/v3"

	"github.com/kubegate/kubegate/cmd/kubegate/internal/config"
)

// goldenAt compares got with the golden file at path (absolute), or
// rewrites it with -update.
func goldenAt(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run with -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", filepath.Base(path), diff)
	}
}

// writeFiles writes name -> content under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestConfigProjectGolden lints testdata/config/project, whose
// .kubegate.yaml selects rules, overrides severities, excludes a vendored
// chart and a broken generated file, and exempts a DaemonSet, and whose
// manifests carry ignore annotations (one misspelt).
func TestConfigProjectGolden(t *testing.T) {
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	project, err := filepath.Abs("../../../../testdata/config/project")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		dir      string // working directory, under the project
		args     []string
		wantCode int
		golden   string
	}{
		{name: "text", dir: ".", args: []string{"lint", "--no-color", "."}, wantCode: ExitFindings, golden: "config-project.txt"},
		{name: "json", dir: ".", args: []string{"lint", "-o", "json", "."}, wantCode: ExitFindings, golden: "config-project.json"},
		{name: "annotations off", dir: ".", args: []string{"lint", "--no-color", "--no-ignore-annotations", "."}, wantCode: ExitFindings, golden: "config-project-no-ignore.txt"},
		// From a subdirectory the file is found in the parent, and its
		// exclude patterns still match from its own directory.
		{name: "from a subdirectory", dir: "deploy", args: []string{"lint", "--no-color", "."}, wantCode: ExitFindings, golden: "config-project-subdir.txt"},
		// Without the file, the vendored chart and the generated file are
		// read and are input errors, and every rule runs.
		{name: "no config", dir: ".", args: []string{"lint", "--no-color", "--no-config", "--only", "ignore-annotation", "."}, wantCode: ExitError, golden: "config-project-no-config.txt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(filepath.Join(project, tt.dir))
			code, out, errOut := run(t, "", tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d; stderr: %s", code, tt.wantCode, errOut)
			}
			goldenAt(t, filepath.Join(testdata, tt.golden), out)
		})
	}
}

// TestSuppressedFindingsDoNotFail checks the exit code: a run whose only
// failing findings are suppressed passes, unless annotations are switched
// off, by flag or by the file.
func TestSuppressedFindingsDoNotFail(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	job := func(name, annotations string) string {
		return "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: " + name + "\n  namespace: batch\n" + annotations +
			"spec:\n  template:\n    spec:\n      containers: [{name: c, image: busybox:1.36, resources: {limits: {memory: 1Gi}}}]\n"
	}
	writeFiles(t, dir, map[string]string{
		"annotated/job.yaml": job("annotated", "  annotations: {kubegate.io/ignore: job-restart-policy}\n"),
		"exempt/job.yaml":    job("legacy-import", ""),
		"plain/job.yaml":     job("plain", ""),
		"exempt.yaml":        "version: 1\nexemptions:\n  - rules: [job-restart-policy]\n    names: [legacy-*]\n    reason: retired next quarter\n",
		"strict.yaml":        "version: 1\nignoreAnnotations: false\n",
	})
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  []string
	}{
		{name: "unsuppressed fails", args: []string{"lint", "--only", "job-restart-policy", "plain"}, wantCode: ExitFindings},
		{name: "annotation passes", args: []string{"lint", "--only", "job-restart-policy", "annotated"}, wantCode: ExitOK, wantOut: []string{"0 errors, 0 warnings, 0 info, 1 suppressed"}},
		{name: "flag switches annotations off", args: []string{"lint", "--only", "job-restart-policy", "--no-ignore-annotations", "annotated"}, wantCode: ExitFindings},
		{name: "file switches annotations off", args: []string{"lint", "--config", "strict.yaml", "--only", "job-restart-policy", "annotated"}, wantCode: ExitFindings},
		{name: "flag switches them back on over the file", args: []string{"lint", "--config", "strict.yaml", "--no-ignore-annotations=false", "--only", "job-restart-policy", "annotated"}, wantCode: ExitOK},
		{name: "exemption passes", args: []string{"lint", "--config", "exempt.yaml", "--only", "job-restart-policy", "exempt"}, wantCode: ExitOK, wantOut: []string{"1 suppressed"}},
		{name: "exemption passes in json too", args: []string{"lint", "--config", "exempt.yaml", "--only", "job-restart-policy", "-o", "json", "exempt"}, wantCode: ExitOK, wantOut: []string{`"suppression": {
        "kind": "config",
        "reason": "retired next quarter"
      }`, `"suppressed": 1`}},
		{name: "annotations off keep exemptions", args: []string{"lint", "--config", "exempt.yaml", "--no-ignore-annotations", "--only", "job-restart-policy", "exempt", "annotated"}, wantCode: ExitFindings, wantOut: []string{"annotated/job.yaml", "1 error, 0 warnings, 0 info, 1 suppressed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, "", tt.args...)
			checkRun(t, code, out, errOut, tt.wantCode, tt.wantOut, nil, "")
		})
	}
}

// TestConfigDiscovery runs lint from a temporary tree: the file in the
// working directory, in a parent, named with --config, or ignored with
// --no-config.
func TestConfigDiscovery(t *testing.T) {
	root := t.TempDir()
	failing := "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: n}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: busybox:1.36, resources: {limits: {memory: 1Gi}}}]\n"
	writeFiles(t, root, map[string]string{
		"repo/" + config.FileName:          "version: 1\nrules: {only: [job-restart-policy], severity: {job-restart-policy: info}}\n",
		"repo/apps/job.yaml":               failing,
		"repo/apps/deeper/job.yaml":        failing,
		"repo/apps/own/" + config.FileName: "version: 1\nrules: {only: [job-restart-policy], disable: [job-restart-policy]}\n",
		"repo/apps/own/job.yaml":           failing,
		"elsewhere/ci.yaml":                "version: 1\nrules: {only: [job-restart-policy]}\nfailOn: info\n",
		"elsewhere/broken.yaml":            "version: 1\nrules: {only: [job-restart-polcy]}\n",
	})
	tests := []struct {
		name       string
		dir        string
		args       []string
		wantCode   int
		wantOut    []string
		wantErrOut string
	}{
		{name: "in the working directory", dir: "repo", args: []string{"lint", "apps/job.yaml"}, wantCode: ExitOK, wantOut: []string{": info: Job pod template"}},
		{name: "in a parent", dir: "repo/apps/deeper", args: []string{"lint", "job.yaml"}, wantCode: ExitOK, wantOut: []string{"job.yaml:6:5: info: Job pod template"}},
		{name: "the nearest wins", dir: "repo/apps/own", args: []string{"lint", "job.yaml"}, wantCode: ExitOK, wantOut: []string{"1 object in 1 file: 0 errors, 0 warnings, 0 info"}},
		{name: "--config", dir: "repo/apps", args: []string{"lint", "--config", "../../elsewhere/ci.yaml", "job.yaml"}, wantCode: ExitFindings, wantOut: []string{": error: Job pod template"}},
		{name: "--no-config", dir: "repo/apps", args: []string{"lint", "--no-config", "--only", "job-restart-policy", "job.yaml"}, wantCode: ExitFindings, wantOut: []string{": error: Job pod template"}},
		{name: "both", dir: "repo", args: []string{"lint", "--no-config", "--config", "x.yaml", "apps"}, wantCode: ExitError, wantErrOut: "--config and --no-config exclude each other"},
		{name: "--config missing", dir: "repo", args: []string{"lint", "--config", "nope.yaml", "apps"}, wantCode: ExitError, wantErrOut: "kubegate: read config nope.yaml: no such file or directory"},
		{name: "error names the file found", dir: "elsewhere", args: []string{"lint", "--config", "broken.yaml", "ci.yaml"}, wantCode: ExitError, wantErrOut: `kubegate: broken.yaml:2:16: rules.only[0]: unknown rule "job-restart-polcy"; did you mean "job-restart-policy"?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(filepath.Join(root, tt.dir))
			code, out, errOut := run(t, "", tt.args...)
			checkRun(t, code, out, errOut, tt.wantCode, tt.wantOut, nil, tt.wantErrOut)
		})
	}
}

// TestConfigErrors checks that a bad file stops the run with exit 2 and
// every mistake at its file:line:col, before anything is linted.
func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFiles(t, dir, map[string]string{
		"job.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
		config.FileName: `version: 1
rules:
  disable: [latest-tag]
  params:
    qos-min-class: {minQoSClass: guaranteed}
strict: "no"
outputs: [text, yaml=report.yaml]
`,
	})
	code, out, errOut := run(t, "", "lint", "job.yaml")
	if code != ExitError || out != "" {
		t.Errorf("exit code = %d, stdout %q; want 2 and nothing", code, out)
	}
	want := `kubegate: .kubegate.yaml:6:9: strict: want true or false, not "no"
`
	if errOut != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut, want)
	}
	// With the type fixed, the next layer of checks: output formats, then
	// rule IDs and parameters once the rules are loaded.
	writeFiles(t, dir, map[string]string{config.FileName: strings.Replace(mustRead(t, config.FileName), `strict: "no"`, "strict: false", 1)})
	_, _, errOut = run(t, "", "lint", "job.yaml")
	want = `kubegate: .kubegate.yaml:7:17: outputs[1]: "yaml=report.yaml": want ` + strings.Join(outputFormats, ", ") + `, or FORMAT=FILE
`
	if errOut != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut, want)
	}
	writeFiles(t, dir, map[string]string{config.FileName: strings.Replace(mustRead(t, config.FileName), "yaml=report.yaml", "json=report.json", 1)})
	_, _, errOut = run(t, "", "lint", "job.yaml")
	want = `kubegate: .kubegate.yaml:3:13: rules.disable[0]: unknown rule "latest-tag" (see kubegate rules list)
kubegate: .kubegate.yaml:5:5: rules.params.qos-min-class: configure qos-min-class: minQoSClass "guaranteed": want BestEffort, Burstable or Guaranteed
`
	if errOut != want {
		t.Errorf("stderr:\n%s\nwant:\n%s", errOut, want)
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestConfigPrecedence checks how flags merge over the file, through
// `config show`, which merges them as lint does.
func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		config.FileName: `version: 1
rules:
  only: [image-tag, image-digest, qos-min-class, job-restart-policy]
  enable: [image-digest, qos-min-class]
  disable: [job-restart-policy, image-tag]
  severity: {image-tag: info, image-digest: info}
  params:
    qos-min-class: {minQoSClass: Burstable}
policies: [policies]
kubernetesVersion: "1.34"
strict: false
failOn: warning
outputs: [text, json=reports/kubegate.json]
ignoreAnnotations: false
exclude: [vendor]
`,
		"policies/team.rego": "# METADATA\n# title: Team rule\n# custom:\n#   id: team-rule\n#   severity: warning\npackage team\n\ndeny contains \"no\" if { false }\n",
		"apps/.keep":         "",
	})
	t.Chdir(filepath.Join(dir, "apps"))
	fromFile := config.Default()
	fromFile.Rules = config.Rules{
		Only:     []string{"image-tag", "image-digest", "qos-min-class", "job-restart-policy"},
		Enable:   []string{"image-digest", "qos-min-class"},
		Disable:  []string{"job-restart-policy", "image-tag"},
		Severity: map[string]string{"image-tag": "info", "image-digest": "info"},
		Params:   map[string]map[string]any{"qos-min-class": {"minQoSClass": "Burstable"}},
	}
	fromFile.Policies = []string{"../policies"}
	fromFile.KubernetesVersion = "1.34"
	fromFile.Strict = false
	fromFile.FailOn = "warning"
	fromFile.Outputs = []string{"text", "json=../reports/kubegate.json"}
	fromFile.IgnoreAnnotations = false
	fromFile.Exclude = []string{"vendor"}

	tests := []struct {
		name   string
		args   []string
		change func(c *config.Config)
	}{
		{name: "the file alone", change: func(*config.Config) {}},
		{name: "scalars: the flag replaces", args: []string{"--fail-on", "error", "--kubernetes-version", "1.35", "--target-version", "1.30", "--strict", "--require-schemas", "--no-ignore-annotations=false"}, change: func(c *config.Config) {
			c.FailOn, c.KubernetesVersion, c.TargetVersion, c.Strict, c.RequireSchemas, c.IgnoreAnnotations = "error", "1.35", "1.30", true, true, true
		}},
		{name: "outputs: the flag replaces", args: []string{"-o", "json"}, change: func(c *config.Config) { c.Outputs = []string{"json"} }},
		{name: "only: the flag replaces", args: []string{"--only", "schema"}, change: func(c *config.Config) { c.Rules.Only = []string{"schema"} }},
		{name: "enable takes a rule off the file's disable list", args: []string{"--enable", "image-tag", "--enable", "replicas-minimum"}, change: func(c *config.Config) {
			c.Rules.Enable = []string{"image-digest", "qos-min-class", "image-tag", "replicas-minimum"}
			c.Rules.Disable = []string{"job-restart-policy"}
		}},
		{name: "disable adds, and takes a rule off the file's enable list", args: []string{"--disable", "qos-min-class"}, change: func(c *config.Config) {
			c.Rules.Enable = []string{"image-digest"}
			c.Rules.Disable = []string{"job-restart-policy", "image-tag", "qos-min-class"}
		}},
		{name: "severity and params merge rule by rule", args: []string{"--severity", "image-tag=error", "--severity", "schema=warning", "--param", "qos-min-class.minQoSClass=Guaranteed", "--param", "replicas-minimum.min=3"}, change: func(c *config.Config) {
			c.Rules.Severity = map[string]string{"image-tag": "error", "image-digest": "info", "schema": "warning"}
			c.Rules.Params = map[string]map[string]any{"qos-min-class": {"minQoSClass": "Guaranteed"}, "replicas-minimum": {"min": 3}}
		}},
		{name: "policies and crds add", args: []string{"--policy", "mine", "--crds", "crds"}, change: func(c *config.Config) {
			c.Policies = []string{"../policies", "mine"}
			c.CRDs = []string{"crds"}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(strings.Join(tt.args, " "), "mine") {
				writeFiles(t, filepath.Join(dir, "apps"), map[string]string{"mine/p.rego": "package mine\n"})
			}
			code, out, errOut := run(t, "", append([]string{"config", "show"}, tt.args...)...)
			if code != ExitOK {
				t.Fatalf("exit code = %d; stderr: %s", code, errOut)
			}
			if !strings.HasPrefix(out, "# Configuration in effect: ../.kubegate.yaml merged with the command line.\n") {
				t.Errorf("show does not name the file:\n%s", out)
			}
			var got config.Config
			dec := yaml.NewDecoder(strings.NewReader(out))
			dec.KnownFields(true)
			if err := dec.Decode(&got); err != nil {
				t.Fatalf("decode show output: %v\n%s", err, out)
			}
			want := fromFile
			want.Rules.Severity = map[string]string{"image-tag": "info", "image-digest": "info"}
			want.Rules.Params = map[string]map[string]any{"qos-min-class": {"minQoSClass": "Burstable"}}
			tt.change(&want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("effective configuration (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConfigShowWithoutFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantHeader string
		wantErrOut string
	}{
		{name: "none found", args: nil, wantHeader: "# Configuration in effect: no config file found (.kubegate.yaml in " + dir + " or a parent)"},
		{name: "--no-config", args: []string{"--no-config"}, wantHeader: "# Configuration in effect: no config file (--no-config)"},
		{name: "bad flag value", args: []string{"--no-config", "--fail-on", "fatal"}, wantCode: ExitError, wantErrOut: "--fail-on"},
		{name: "unknown rule flag", args: []string{"--no-config", "--enable", "nope"}, wantCode: ExitError, wantErrOut: `--enable: unknown rule "nope"`},
		{name: "not a lint-only flag", args: []string{"--no-color"}, wantCode: ExitError, wantErrOut: "unknown flag: --no-color"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "none found" {
				// Above the temporary directory may be anything.
				if found, err := config.Find(dir); err != nil || found != "" {
					t.Skipf("a configuration file above the test's directory: %q, %v", found, err)
				}
			}
			code, out, errOut := run(t, "", append([]string{"config", "show"}, tt.args...)...)
			checkRun(t, code, out, errOut, tt.wantCode, nil, nil, tt.wantErrOut)
			if tt.wantCode != ExitOK {
				return
			}
			if !strings.HasPrefix(out, tt.wantHeader) {
				t.Errorf("header:\n%s\nwant prefix %q", out, tt.wantHeader)
			}
			var got config.Config
			if err := yaml.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(config.Default(), got); diff != "" {
				t.Errorf("effective configuration (-default +got):\n%s", diff)
			}
		})
	}
}

func TestConfigInit(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	code, out, errOut := run(t, "", "config", "init")
	checkRun(t, code, out, errOut, ExitOK, []string{"wrote .kubegate.yaml"}, nil, "")
	if got := mustRead(t, config.FileName); got != string(config.Template()) {
		t.Errorf("init wrote something else than the template:\n%s", got)
	}
	// The file it wrote is found, valid, and changes nothing.
	code, out, errOut = run(t, "", "config", "show")
	checkRun(t, code, out, errOut, ExitOK, []string{"# Configuration in effect: .kubegate.yaml merged"}, nil, "")
	var shown config.Config
	if err := yaml.Unmarshal([]byte(out), &shown); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(config.Default(), shown); diff != "" {
		t.Errorf("show after init (-default +got):\n%s", diff)
	}

	if err := os.WriteFile(config.FileName, []byte("version: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "", "config", "init")
	checkRun(t, code, "", errOut, ExitError, nil, nil, "config init: .kubegate.yaml exists; pass --force to overwrite it")
	if got := mustRead(t, config.FileName); got != "version: 1\n" {
		t.Errorf("init overwrote the file without --force: %q", got)
	}
	code, _, errOut = run(t, "", "config", "init", "--force")
	checkRun(t, code, "", errOut, ExitOK, nil, nil, "")
	if got := mustRead(t, config.FileName); got != string(config.Template()) {
		t.Error("init --force did not overwrite the file")
	}
	for _, args := range [][]string{{"config", "init", "-"}, {"config", "init", "--stdout"}} {
		code, out, errOut = run(t, "", args...)
		checkRun(t, code, out, errOut, ExitOK, nil, nil, "")
		if out != string(config.Template()) {
			t.Errorf("%v printed something else than the template", args)
		}
	}
	code, out, errOut = run(t, "", "config", "init", "ci/kubegate.yaml")
	checkRun(t, code, out, errOut, ExitError, nil, nil, "write config: open ci/kubegate.yaml: no such file or directory")
	code, out, errOut = run(t, "", "config", "init", "other.yaml")
	checkRun(t, code, out, errOut, ExitOK, []string{"wrote other.yaml"}, nil, "")
}

// TestConfigFlagDefaults checks that lint's flags default to the
// configuration's defaults, so that the help text tells the truth about a
// run without a file.
func TestConfigFlagDefaults(t *testing.T) {
	lint := newLintCmd(IO{})
	def := config.Default()
	want := map[string]string{
		"fail-on":               def.FailOn,
		"kubernetes-version":    def.KubernetesVersion,
		"target-version":        def.TargetVersion,
		"strict":                strconv.FormatBool(def.Strict),
		"require-schemas":       strconv.FormatBool(def.RequireSchemas),
		"no-ignore-annotations": strconv.FormatBool(!def.IgnoreAnnotations),
		"output":                "[" + strings.Join(def.Outputs, ",") + "]",
		"policy":                "[]",
		"crds":                  "[]",
		"only":                  "[]",
		"enable":                "[]",
		"disable":               "[]",
		"severity":              "[]",
		"param":                 "[]",
	}
	for _, name := range config.Flags() {
		fl := lint.Flags().Lookup(name)
		if fl == nil {
			t.Errorf("config key flag --%s is not a lint flag", name)
			continue
		}
		if w, ok := want[name]; !ok {
			t.Errorf("--%s: no expected default in this test", name)
		} else if fl.DefValue != w {
			t.Errorf("--%s defaults to %q, the configuration to %q", name, fl.DefValue, w)
		}
	}
	for _, name := range []string{"config", "no-config"} {
		if lint.PersistentFlags().Lookup(name) == nil {
			t.Errorf("lint has no persistent --%s", name)
		}
	}
}
