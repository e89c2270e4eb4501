package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite golden files")

// repoRoot makes the test run from the repository root, so paths in output
// are the ones a user types.
func repoRoot(t *testing.T) {
	t.Helper()
	t.Chdir("../../../..")
}

// run runs the CLI.
func run(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = RunIO(context.Background(), args, IO{In: strings.NewReader(stdin), Out: &out, Err: &errOut})
	return code, out.String(), errOut.String()
}

// checkRun checks a run's exit code, the substrings its stdout must and
// must not hold, and one its stderr must hold ("" for any).
func checkRun(t *testing.T, code int, out, errOut string, wantCode int, wantOut, wantNotOut []string, wantErrOut string) {
	t.Helper()
	if code != wantCode {
		t.Errorf("exit code = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, wantCode, out, errOut)
	}
	for _, w := range wantOut {
		if !strings.Contains(out, w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
	for _, w := range wantNotOut {
		if strings.Contains(out, w) {
			t.Errorf("stdout has %q:\n%s", w, out)
		}
	}
	if !strings.Contains(errOut, wantErrOut) {
		t.Errorf("stderr lacks %q:\n%s", wantErrOut, errOut)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("cmd", "kubegate", "internal", "cli", "testdata", name)
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
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

func TestLintExamplesGolden(t *testing.T) {
	repoRoot(t)
	tests := []struct {
		name   string
		args   []string
		golden string
	}{
		{name: "text", args: []string{"lint", "--no-color", "testdata/examples"}, golden: "lint-examples.txt"},
		{name: "json", args: []string{"lint", "-o", "json", "testdata/examples"}, golden: "lint-examples.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, "", tt.args...)
			if code != ExitFindings {
				t.Errorf("exit code = %d, want %d; stderr: %s", code, ExitFindings, errOut)
			}
			golden(t, tt.golden, out)
		})
	}
}

func TestLintExitCodes(t *testing.T) {
	repoRoot(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	clean := write("clean.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v}\n")
	warnOnly := write("warn.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  restartPolicy: Never\n  containers:\n    - name: c\n      image: busybox:1.36\n      livenessProbe: {exec: {command: [\"true\"]}}\n      resources: {limits: {memory: 64Mi}}\n")
	broken := write("broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [\n")
	failing := write("fail.yaml", "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: busybox:1.36, resources: {limits: {memory: 1Gi}}}]\n")
	unknownField := write("unknown.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labelz: {}}\n")
	newKind := write("new-kind.yaml", "apiVersion: resource.k8s.io/v1\nkind: DeviceClass\nmetadata: {name: gpu}\nspec: {}\n")
	newGroup := write("new-group.yaml", "apiVersion: lifecycle.k8s.io/v1alpha1\nkind: EvictionRequest\nmetadata: {name: e}\n")
	typo := write("typo.yaml", "apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: d}\n")
	crdDir := filepath.Join(dir, "crds")
	if err := os.Mkdir(crdDir, 0o755); err != nil {
		t.Fatal(err)
	}
	crd := "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {plural: widgets, singular: widget, kind: Widget}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              x-kubernetes-validations: [{rule: self.size > 0, message: size must be positive}]\n              properties: {size: {type: integer}}\n"
	if err := os.WriteFile(filepath.Join(crdDir, "widget.yaml"), []byte(crd), 0o600); err != nil {
		t.Fatal(err)
	}
	widget := write("widget.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 0}\n")
	policyDir := filepath.Join(dir, "policies")
	if err := os.Mkdir(policyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(policyDir, "bad.rego"), []byte("package bad\n\ndeny contains msg if {\n\tmsg := \n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantCode   int
		wantOut    []string // substrings of stdout
		wantErrOut string   // substring of stderr
	}{
		{name: "clean", args: []string{"lint", clean}, wantCode: ExitOK, wantOut: []string{"1 object in 1 file: 0 errors, 0 warnings, 0 info"}},
		{name: "warnings pass by default", args: []string{"lint", warnOnly}, wantCode: ExitOK, wantOut: []string{"warning:"}},
		{name: "fail on warning", args: []string{"lint", "--fail-on", "warning", warnOnly}, wantCode: ExitFindings},
		{name: "errors fail", args: []string{"lint", failing}, wantCode: ExitFindings, wantOut: []string{"fail.yaml:6:5: error: Job pod template sets no restartPolicy"}},
		{name: "input error wins, other files still linted", args: []string{"lint", broken, failing}, wantCode: ExitError, wantOut: []string{"broken.yaml:4:3: input error: yaml: did not find expected node content", "fail.yaml:6:5: error:", "; 1 input error"}},
		{name: "missing file", args: []string{"lint", filepath.Join(dir, "nope.yaml"), clean}, wantCode: ExitError, wantOut: []string{"nope.yaml: input error: read manifest: no such file or directory"}},
		{name: "stdin", args: []string{"lint", "-"}, stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: 1}\n", wantCode: ExitFindings, wantOut: []string{"<stdin>:4:8: error: data.k must be a string"}},
		{name: "only one rule", args: []string{"lint", "--only", "schema", failing}, wantCode: ExitOK, wantOut: []string{"0 errors"}},
		{name: "only an unknown rule", args: []string{"lint", "--only", "schemas", clean}, wantCode: ExitError, wantErrOut: `--only: unknown rule "schemas"`},
		{name: "unknown field is an error", args: []string{"lint", unknownField}, wantCode: ExitFindings, wantOut: []string{`unknown.yaml:3:21: error: unknown field "metadata.labelz" [schema]`}},
		{name: "strict=false makes it a warning", args: []string{"lint", "--strict=false", unknownField}, wantCode: ExitOK, wantOut: []string{`unknown.yaml:3:21: warning: unknown field "metadata.labelz"`}},
		{name: "kind newer than the release", args: []string{"lint", "--kubernetes-version", "1.33", newKind}, wantCode: ExitFindings, wantOut: []string{"new-kind.yaml:1:1: error: Kubernetes 1.33 does not serve DeviceClass in resource.k8s.io/v1; use resource.k8s.io/v1alpha3 or resource.k8s.io/v1beta1 or resource.k8s.io/v1beta2 [schema]"}},
		{name: "group newer than the release", args: []string{"lint", "--kubernetes-version", "1.33", newGroup}, wantCode: ExitFindings, wantOut: []string{"error: Kubernetes 1.33 does not serve lifecycle.k8s.io/v1alpha1 EvictionRequest yet; it is served from 1.37"}},
		{name: "misspelt kind", args: []string{"lint", typo}, wantCode: ExitFindings, wantOut: []string{`typo.yaml:2:1: error: Kubernetes 1.37 has no kind "Deploymnet" in apps/v1; did you mean Deployment (apps/v1)? [schema]`}},
		{name: "kind served by the release", args: []string{"lint", "--kubernetes-version", "1.34", newKind}, wantCode: ExitOK},
		{name: "release not embedded", args: []string{"lint", "--kubernetes-version", "1.20", clean}, wantCode: ExitError, wantErrOut: "not embedded (have 1.33, 1.34, 1.35, 1.36, 1.37)"},
		{name: "custom resource without its CRD warns", args: []string{"lint", widget}, wantCode: ExitOK, wantOut: []string{"warning: no schema for example.com/v1 Widget"}},
		{name: "require-schemas makes it an error", args: []string{"lint", "--require-schemas", widget}, wantCode: ExitFindings, wantOut: []string{"error: no schema for example.com/v1 Widget"}},
		{name: "CRD from --crds runs its CEL rule", args: []string{"lint", "--crds", crdDir, widget}, wantCode: ExitFindings, wantOut: []string{"widget.yaml:4:1: error: spec is invalid: size must be positive [schema]", "1 object in 1 file"}},
		{name: "disable a rule", args: []string{"lint", "--disable", "job-restart-policy", failing}, wantCode: ExitOK},
		{name: "severity override", args: []string{"lint", "--severity", "job-restart-policy=info", failing}, wantCode: ExitOK, wantOut: []string{": info: Job pod template"}},
		{name: "enable an off rule with a param", args: []string{"lint", "--enable", "qos-min-class", "--param", "qos-min-class.minQoSClass=Guaranteed", "--fail-on", "warning", warnOnly}, wantCode: ExitFindings, wantOut: []string{"[qos-min-class]"}},
		{name: "unknown rule", args: []string{"lint", "--disable", "no-such-rule", clean}, wantCode: ExitError, wantErrOut: `unknown rule "no-such-rule"`},
		{name: "bad param", args: []string{"lint", "--param", "qos-min-class.min=x", clean}, wantCode: ExitError, wantErrOut: `unknown parameter "min"`},
		{name: "param for a rule without params", args: []string{"lint", "--param", "container-names.x=1", clean}, wantCode: ExitError, wantErrOut: "rule container-names takes no parameters"},
		{name: "bad output", args: []string{"lint", "-o", "yaml", clean}, wantCode: ExitError, wantErrOut: `--output "yaml"`},
		{name: "github annotations", args: []string{"lint", "-o", "github", failing}, wantCode: ExitFindings, wantOut: []string{"::error file=" + failing + ",line=6,col=5,title=job-restart-policy::Job pod template sets no restartPolicy"}},
		{name: "two formats on stdout", args: []string{"lint", "-o", "text", "-o", "json", clean}, wantCode: ExitError, wantErrOut: "--output: 2 formats on stdout"},
		{name: "output file unnamed", args: []string{"lint", "-o", "json=", clean}, wantCode: ExitError, wantErrOut: `--output "json=": name the file after =`},
		{name: "one file twice", args: []string{"lint", "-o", "json=r.json", "-o", "github=r.json", clean}, wantCode: ExitError, wantErrOut: "r.json is already an output"},
		{name: "bad fail-on", args: []string{"lint", "--fail-on", "fatal", clean}, wantCode: ExitError},
		{name: "no paths", args: []string{"lint"}, wantCode: ExitError, wantErrOut: "name at least one file"},
		{name: "unknown flag", args: []string{"lint", "--nope", clean}, wantCode: ExitError, wantErrOut: "unknown flag"},
		{name: "target version", args: []string{"lint", "--target-version", "1.21", "-"}, stdin: "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '@daily'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: c, image: busybox:1.36, resources: {limits: {memory: 1Gi}}}]\n", wantCode: ExitOK, wantOut: []string{"<stdin>:1:1: warning: batch/v1beta1 CronJob is deprecated since Kubernetes 1.21"}},
		{name: "removed at the default target", args: []string{"lint", "-"}, stdin: "apiVersion: batch/v1beta1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: '@daily'\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers: [{name: c, image: busybox:1.36, resources: {limits: {memory: 1Gi}}}]\n", wantCode: ExitFindings, wantOut: []string{"<stdin>:1:1: error: batch/v1beta1 CronJob was removed in Kubernetes 1.25; use batch/v1"}},
		{name: "bad target version", args: []string{"lint", "--target-version", "2.0", clean}, wantCode: ExitError, wantErrOut: "--target-version"},
		{name: "policy compile error still lints", args: []string{"lint", "--policy", policyDir, failing}, wantCode: ExitError, wantOut: []string{"bad.rego:5:1: input error: rego_parse_error: unexpected } token", "fail.yaml:6:5: error:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.stdin, tt.args...)
			checkRun(t, code, out, errOut, tt.wantCode, tt.wantOut, nil, tt.wantErrOut)
			if strings.Contains(out, "\x1b[") {
				t.Errorf("output to a non-terminal has colour codes:\n%q", out)
			}
		})
	}
}

func TestLintJSONIsParseable(t *testing.T) {
	repoRoot(t)
	code, out, _ := run(t, "", "lint", "-o", "json", "testdata/examples/worker.yaml")
	if code != ExitFindings {
		t.Fatalf("exit code = %d", code)
	}
	var doc struct {
		Findings []map[string]any `json:"findings"`
		Errors   []any            `json:"errors"`
		Objects  []map[string]any `json:"objects"`
		Summary  map[string]int   `json:"summary"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	// The example has two errors; the warnings depend on the catalogue.
	errs := 0
	for _, f := range doc.Findings {
		if f["severity"] == "error" {
			errs++
		}
	}
	if doc.Errors == nil || errs != 2 || doc.Objects[0]["qosClass"] != "Burstable" || doc.Summary["errors"] != 2 || doc.Summary["warnings"] != len(doc.Findings)-2-doc.Summary["infos"] {
		t.Errorf("unexpected report: %s", out)
	}
}

// TestOutputsToFiles writes the text report to stdout and the JSON and
// GitHub reports to files, from one run.
func TestOutputsToFiles(t *testing.T) {
	repoRoot(t)
	dir := t.TempDir()
	jsonPath, ghPath := filepath.Join(dir, "reports", "kubegate.json"), filepath.Join(dir, "kubegate.github")
	code, out, errOut := run(t, "", "lint", "-o", "text", "-o", "json="+jsonPath, "-o", "github="+ghPath, "testdata/examples")
	if code != ExitFindings {
		t.Fatalf("exit code = %d; stderr: %s", code, errOut)
	}
	if !strings.Contains(out, ": error: ") || strings.Contains(out, "::error") || strings.Contains(out, `"findings"`) {
		t.Errorf("stdout is not the text report alone:\n%s", out)
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Findings []map[string]any `json:"findings"`
		Objects  []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("the JSON report does not parse: %v", err)
	}
	gh, err := os.ReadFile(ghPath)
	if err != nil {
		t.Fatal(err)
	}
	annotations := strings.Count(string(gh), "\n::")
	if strings.HasPrefix(string(gh), "::") {
		annotations++
	}
	if len(doc.Findings) == 0 || len(doc.Objects) == 0 || doc.Objects[0]["qosClass"] == nil || annotations != len(doc.Findings) {
		t.Errorf("%d findings in JSON, %d annotations; the reports disagree", len(doc.Findings), annotations)
	}
}

func TestRulesCommands(t *testing.T) {
	repoRoot(t)
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     []string
	}{
		{name: "list", args: []string{"rules", "list"}, want: []string{"ID", "probe-success-threshold", "qos-min-class", "off"}},
		{name: "list json", args: []string{"rules", "list", "-o", "json"}, want: []string{`"id": "schema"`}},
		{name: "explain", args: []string{"rules", "explain", "qos-min-class"}, want: []string{"Parameters (--param qos-min-class.NAME=VALUE):", "minQoSClass"}},
		{name: "explain unknown", args: []string{"rules", "explain", "nope"}, wantCode: ExitError},
		{name: "version", args: []string{"version"}, want: []string{"kubegate "}},
		{name: "completion", args: []string{"completion", "bash"}, want: []string{"bash completion"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, "", tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit code = %d, want %d; stderr: %s", code, tt.wantCode, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

func TestPolicyTestCommand(t *testing.T) {
	repoRoot(t)
	code, out, errOut := run(t, "", "policy", "test", "engine/policy/testdata/policies/user")
	if code != ExitOK || !strings.Contains(out, "PASS: 2/2") {
		t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	code, _, errOut = run(t, "", "policy", "test", "engine/policy/testdata/policies/broken")
	if code != ExitError || !strings.Contains(errOut, "bad.rego:4") {
		t.Errorf("broken policies: exit %d, stderr:\n%s", code, errOut)
	}
}

// TestReportFormatsAgree writes JSON, SARIF, JUnit and TAP from one run
// over the examples: the SARIF validates against the official schema (kept
// with the output package's tests), and every format counts the same
// findings.
func TestReportFormatsAgree(t *testing.T) {
	repoRoot(t)
	dir := t.TempDir()
	path := func(name string) string { return filepath.Join(dir, name) }
	code, _, errOut := run(t, "", "lint", "-o", "json="+path("r.json"), "-o", "sarif="+path("r.sarif"),
		"-o", "junit="+path("r.xml"), "-o", "tap="+path("r.tap"), "testdata/examples")
	if code != ExitFindings {
		t.Fatalf("exit code = %d; stderr: %s", code, errOut)
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(path(name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	var report struct {
		Findings []struct {
			Rule       string `json:"rule"`
			File       string `json:"file"`
			Line       int    `json:"line"`
			EndLine    int    `json:"endLine"`
			Suppressed bool   `json:"suppressed"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(read("r.json"), &report); err != nil {
		t.Fatal(err)
	}
	unsuppressed := 0
	for _, f := range report.Findings {
		if !f.Suppressed {
			unsuppressed++
		}
		if f.EndLine < f.Line {
			t.Errorf("%s at %s:%d ends on line %d", f.Rule, f.File, f.Line, f.EndLine)
		}
	}

	sarif := read("r.sarif")
	schemaFile, err := os.Open(filepath.Join("engine", "output", "testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer schemaFile.Close()
	const id = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	schemaDoc, err := jsonschema.UnmarshalJSON(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(id, schemaDoc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(sarif))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Fatalf("the SARIF report does not validate: %#v", err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID       string `json:"ruleId"`
				Suppressions []any  `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sarif, &log); err != nil {
		t.Fatal(err)
	}
	sarifUnsuppressed := 0
	for _, r := range log.Runs[0].Results {
		if len(r.Suppressions) == 0 {
			sarifUnsuppressed++
		}
	}

	var junit struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Failures []struct {
					Text string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(read("r.xml"), &junit); err != nil {
		t.Fatal(err)
	}
	// A failing case has one <failure> listing its findings, each from
	// its position on.
	finding := regexp.MustCompile(`(?m)^[^\n]+:\d+:\d+: (error|warning|info): `)
	junitFailures := 0
	for _, s := range junit.Suites {
		for _, c := range s.Cases {
			if len(c.Failures) > 1 {
				t.Errorf("a JUnit case has %d <failure> elements", len(c.Failures))
			}
			for _, f := range c.Failures {
				junitFailures += len(finding.FindAllString(f.Text, -1))
			}
		}
	}

	tap := string(read("r.tap"))
	notOK := strings.Count(tap, "\nnot ok ")
	points := notOK + strings.Count(tap, "\nok ")

	if len(log.Runs[0].Results) != len(report.Findings) || sarifUnsuppressed != unsuppressed || junitFailures != unsuppressed ||
		notOK != junit.Failures || points != junit.Tests || unsuppressed == 0 {
		t.Errorf("findings: json %d (%d unsuppressed), sarif %d (%d unsuppressed), junit %d failures in %d failing of %d cases, tap %d not ok of %d",
			len(report.Findings), unsuppressed, len(log.Runs[0].Results), sarifUnsuppressed, junitFailures, junit.Failures, junit.Tests, notOK, points)
	}
}
