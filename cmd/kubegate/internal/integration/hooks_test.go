package integration

import (
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// hookDef is one hook of .pre-commit-hooks.yaml, with the keys pre-commit
// reads there (pre-commit's clientlib MANIFEST_HOOK_DICT); decoded
// strictly.
type hookDef struct {
	ID                      string   `yaml:"id"`
	Name                    string   `yaml:"name"`
	Entry                   string   `yaml:"entry"`
	Language                string   `yaml:"language"`
	Alias                   string   `yaml:"alias"`
	Files                   string   `yaml:"files"`
	Exclude                 string   `yaml:"exclude"`
	Types                   []string `yaml:"types"`
	TypesOr                 []string `yaml:"types_or"`
	ExcludeTypes            []string `yaml:"exclude_types"`
	AdditionalDependencies  []string `yaml:"additional_dependencies"`
	Args                    []string `yaml:"args"`
	AlwaysRun               bool     `yaml:"always_run"`
	FailFast                bool     `yaml:"fail_fast"`
	PassFilenames           *bool    `yaml:"pass_filenames"`
	Description             string   `yaml:"description"`
	LanguageVersion         string   `yaml:"language_version"`
	LogFile                 string   `yaml:"log_file"`
	MinimumPreCommitVersion string   `yaml:"minimum_pre_commit_version"`
	RequireSerial           bool     `yaml:"require_serial"`
	Stages                  []string `yaml:"stages"`
	Verbose                 bool     `yaml:"verbose"`
}

func loadHooks(t *testing.T) []hookDef {
	t.Helper()
	var hooks []hookDef
	decodeStrict(t, readRepoFile(t, ".pre-commit-hooks.yaml"), &hooks)
	return hooks
}

// TestPreCommitHooksManifest checks what the end-to-end test cannot see
// from one commit: both hooks lint YAML files passed by name, in one
// process, and their exclude pattern leaves out hidden paths only.
func TestPreCommitHooksManifest(t *testing.T) {
	hooks := loadHooks(t)
	var ids []string
	for _, h := range hooks {
		ids = append(ids, h.ID+" "+h.Language)
		if h.Entry != "kubegate lint" {
			t.Errorf("%s: entry %q, want kubegate lint", h.ID, h.Entry)
		}
		if diff := cmp.Diff([]string{"yaml"}, h.Types); diff != "" {
			t.Errorf("%s: types (-want +got):\n%s", h.ID, diff)
		}
		if h.PassFilenames != nil && !*h.PassFilenames {
			t.Errorf("%s: the staged files must be passed", h.ID)
		}
		if !h.RequireSerial {
			t.Errorf("%s: without require_serial, pre-commit splits the files between processes and cross-object rules miss each other", h.ID)
		}
		// pre-commit matches with Python's re.search; this pattern means
		// the same in Go.
		exclude, err := regexp.Compile(h.Exclude)
		if err != nil {
			t.Fatalf("%s: exclude: %v", h.ID, err)
		}
		for path, want := range map[string]bool{
			".pre-commit-config.yaml":   true,
			".github/workflows/ci.yml":  true,
			"deploy/.kubegate.yaml":     true,
			"deploy/web.yaml":           false,
			"charts/app.v2/values.yaml": false,
			"k8s/base/deployment.yml":   false,
		} {
			if got := exclude.MatchString(path); got != want {
				t.Errorf("%s: exclude matches %s = %v, want %v", h.ID, path, got, want)
			}
		}
	}
	if diff := cmp.Diff([]string{"kubegate golang", "kubegate-system system"}, ids); diff != "" {
		t.Errorf("hooks (-want +got):\n%s", diff)
	}
}
