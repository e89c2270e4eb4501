package integration

import (
	"bytes"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"go.yaml.in/yaml/v3"
)

// actionMetadata is what action.yml may hold for a composite action
// (GitHub's "Metadata syntax for GitHub Actions"); it is decoded strictly,
// so an unknown or misspelt key fails the test.
type actionMetadata struct {
	Name        string                       `yaml:"name"`
	Description string                       `yaml:"description"`
	Author      string                       `yaml:"author"`
	Branding    struct{ Icon, Color string } `yaml:"branding"`
	Inputs      map[string]actionInput       `yaml:"inputs"`
	Outputs     map[string]actionOutput      `yaml:"outputs"`
	Runs        struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionInput struct {
	Description        string  `yaml:"description"`
	Required           bool    `yaml:"required"`
	Default            *string `yaml:"default"`
	DeprecationMessage string  `yaml:"deprecationMessage"`
}

type actionOutput struct {
	Description string `yaml:"description"`
	Value       string `yaml:"value"`
}

type actionStep struct {
	Name             string            `yaml:"name"`
	ID               string            `yaml:"id"`
	If               string            `yaml:"if"`
	Uses             string            `yaml:"uses"`
	With             map[string]string `yaml:"with"`
	Run              string            `yaml:"run"`
	Shell            string            `yaml:"shell"`
	Env              map[string]string `yaml:"env"`
	WorkingDirectory string            `yaml:"working-directory"`
	ContinueOnError  string            `yaml:"continue-on-error"`
}

func decodeStrict(t *testing.T, b []byte, v any) {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("decode: %v", err)
	}
}

func loadAction(t *testing.T) actionMetadata {
	t.Helper()
	var a actionMetadata
	decodeStrict(t, readRepoFile(t, "action.yml"), &a)
	return a
}

var (
	expression   = regexp.MustCompile(`\$\{\{(.*?)\}\}`)
	inputRef     = regexp.MustCompile(`\binputs\.([A-Za-z0-9_-]+)`)
	stepOutput   = regexp.MustCompile(`\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)`)
	pinnedAction = regexp.MustCompile(`^[\w.-]+/[\w./-]+@v[0-9]+$`)
	// outputWrite is how a run script sets a step output.
	outputWrite = regexp.MustCompile(`echo "([A-Za-z0-9_-]+)=[^"]*" >>"\$GITHUB_OUTPUT"`)
)

// TestActionMetadata checks action.yml's structure: a composite action
// whose steps each run a shell script or use an action pinned to a major
// version, whose inputs are all declared, optional and used, whose step
// outputs exist, and whose scripts read inputs from the environment only
// (an expression pasted into a script is a shell injection).
func TestActionMetadata(t *testing.T) {
	a := loadAction(t)
	if a.Name == "" || a.Description == "" {
		t.Errorf("name %q, description %q: both are required", a.Name, a.Description)
	}
	if a.Runs.Using != "composite" {
		t.Fatalf("runs.using = %q, want composite", a.Runs.Using)
	}
	for name, in := range a.Inputs {
		if in.Description == "" {
			t.Errorf("input %s has no description", name)
		}
		if in.Required || in.Default == nil {
			t.Errorf("input %s must be optional with a default, so that `uses:` alone works", name)
		}
	}

	used := map[string]bool{}
	stepIDs := map[string]int{} // step id -> index
	written := map[string]map[string]bool{}
	checkExprs := func(where, text string, stepIndex int) {
		for _, m := range expression.FindAllStringSubmatch(text, -1) {
			for _, r := range inputRef.FindAllStringSubmatch(m[1], -1) {
				if _, ok := a.Inputs[r[1]]; !ok {
					t.Errorf("%s: inputs.%s is not declared", where, r[1])
				}
				used[r[1]] = true
			}
			for _, r := range stepOutput.FindAllStringSubmatch(m[1], -1) {
				i, ok := stepIDs[r[1]]
				switch {
				case !ok:
					t.Errorf("%s: no earlier step has id %s", where, r[1])
				case i >= stepIndex:
					t.Errorf("%s: step %s runs after it", where, r[1])
				case !written[r[1]][r[2]]:
					t.Errorf("%s: step %s never writes output %s", where, r[1], r[2])
				}
			}
		}
	}
	for i, s := range a.Runs.Steps {
		where := "step " + s.Name
		if s.Name == "" {
			t.Errorf("step %d has no name", i)
		}
		switch {
		case (s.Run == "") == (s.Uses == ""):
			t.Errorf("%s: a step either runs a script or uses an action", where)
		case s.Run != "":
			if s.Shell != "bash" {
				t.Errorf("%s: shell %q; composite steps name their shell, and the scripts are bash", where, s.Shell)
			}
			if strings.Contains(s.Run, "${{") {
				t.Errorf("%s: the script holds an expression; pass it through env", where)
			}
		case !pinnedAction.MatchString(s.Uses):
			t.Errorf("%s: uses %q; pin an action to its major version, owner/repo@vN", where, s.Uses)
		}
		checkExprs(where+" if", "${{"+s.If+"}}", i)
		for k, v := range s.With {
			checkExprs(where+" with."+k, v, i)
		}
		for k, v := range s.Env {
			checkExprs(where+" env."+k, v, i)
		}
		if s.ID != "" {
			if _, dup := stepIDs[s.ID]; dup {
				t.Errorf("%s: id %s is used twice", where, s.ID)
			}
			stepIDs[s.ID] = i
			written[s.ID] = map[string]bool{}
			for _, m := range outputWrite.FindAllStringSubmatch(s.Run, -1) {
				written[s.ID][m[1]] = true
			}
		}
	}
	for name, out := range a.Outputs {
		if out.Description == "" {
			t.Errorf("output %s has no description", name)
		}
		checkExprs("output "+name, out.Value, len(a.Runs.Steps))
	}
	for name := range a.Inputs {
		if !used[name] {
			t.Errorf("input %s is declared but no step reads it", name)
		}
	}
}

// actionAsWorkflow rewrites action.yml as a reusable workflow, whose
// inputs are the action's and whose one job runs the action's steps, so
// that actionlint (which lints workflows, and reads an action's metadata
// only to check its callers) checks the steps: expressions and their
// types, the inputs of the actions used, and with shellcheck the scripts.
func actionAsWorkflow(t *testing.T) []byte {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(readRepoFile(t, "action.yml"), &doc); err != nil {
		t.Fatal(err)
	}
	get := func(n *yaml.Node, key string) *yaml.Node {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == key {
				return n.Content[i+1]
			}
		}
		t.Fatalf("action.yml has no %s", key)
		return nil
	}
	root := doc.Content[0]
	inputs := map[string]any{}
	for name, in := range loadAction(t).Inputs {
		inputs[name] = map[string]any{"type": "string", "required": false, "default": *in.Default}
	}
	wf := map[string]any{
		"name": "action.yml as a workflow",
		"on":   map[string]any{"workflow_call": map[string]any{"inputs": inputs}},
		"jobs": map[string]any{
			"action": map[string]any{
				"runs-on": "ubuntu-latest",
				"steps":   get(get(root, "runs"), "steps"),
			},
		},
	}
	b, err := yaml.Marshal(wf)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// lintWorkflow runs actionlint over one workflow, with shellcheck when
// shellcheck names the program, and returns its findings. project, when
// set, is the directory whose action.yml `uses: ./` reads.
func lintWorkflow(t *testing.T, name string, content []byte, shellcheck, project string) []string {
	t.Helper()
	l, err := actionlint.NewLinter(io.Discard, &actionlint.LinterOptions{Shellcheck: shellcheck})
	if err != nil {
		t.Fatal(err)
	}
	var p *actionlint.Project
	if project != "" {
		if p, err = actionlint.NewProject(project); err != nil {
			t.Fatal(err)
		}
	}
	errs, err := l.Lint(name, content, p)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	slices.Sort(out)
	return out
}

// TestActionStepsLint lints the action's steps with actionlint (without
// shellcheck here; the integration lane adds it).
func TestActionStepsLint(t *testing.T) {
	if errs := lintWorkflow(t, "action.yml", actionAsWorkflow(t), "", ""); len(errs) > 0 {
		t.Errorf("actionlint on action.yml's steps:\n%s", strings.Join(errs, "\n"))
	}
}

// TestActionlintCatchesMistakes makes sure the check above can fail: a
// misspelt input of setup-go and an unknown context are findings.
func TestActionlintCatchesMistakes(t *testing.T) {
	wf := "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n" +
		"      - uses: actions/setup-go@v6\n        with:\n          go-versio: stable\n" +
		"      - run: echo ${{ github.nonsense }}\n"
	errs := lintWorkflow(t, "wf.yml", []byte(wf), "", "")
	for _, want := range []string{`"go-versio"`, `"nonsense"`} {
		if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, want) }) {
			t.Errorf("actionlint did not report %s; it reported:\n%s", want, strings.Join(errs, "\n"))
		}
	}
}
