package config

import "reflect"

// The comments on the fields of Config, Rules and Exemption are the
// documentation of the file's keys: docs/config.md and the file `kubegate
// config init` writes are generated from them (go test
// ./cmd/kubegate/internal/config -update), and a test fails when either is
// stale. They are written for someone editing the YAML file. The flag tag
// names the lint flag that overrides the key.

// FileName is the name of the configuration file kubegate looks for.
const FileName = ".kubegate.yaml"

// Version is the version of the file format this kubegate reads.
const Version = 1

// Config is the content of a configuration file.
type Config struct {
	// The version of this file's format. Required; kubegate reads version 1.
	Version int `yaml:"version"`

	// Which rules run, at what severity, with which parameters.
	Rules Rules `yaml:"rules"`

	// Files not to lint: glob patterns matched against paths relative to
	// the directory of this file, with / as separator. `*` matches within
	// one path element, `**` any number of them, `{a,b}` either. A pattern
	// that matches a directory excludes everything below it; a leading ./
	// and a trailing / are allowed and change nothing. Excluded files are
	// not read, whether named on the command line or found in a directory.
	// Example: [vendor/, "charts/*/tests", "**/*.generated.yaml"]
	Exclude []string `yaml:"exclude"`

	// Objects whose findings are suppressed: reported, marked suppressed
	// (kind "config", with the reason), never failing the run. Each
	// exemption covers the findings of its rules (every rule when rules is
	// left out) on the objects matching all of namespaces, kinds and names
	// it gives. Example:
	//
	//   - rules: [run-as-non-root, host-path]
	//     namespaces: [kube-system, "monitoring-*"]
	//     kinds: [DaemonSet]
	//     names: ["node-exporter*"]
	//     reason: node agents read the host's /proc as root
	Exemptions []Exemption `yaml:"exemptions"`

	// Directories (or files) of Rego policies to add to the built-in
	// rules, relative to the directory of this file.
	Policies []string `yaml:"policies" flag:"policy"`

	// Directories (or files) of CustomResourceDefinitions whose schemas
	// validate custom resources, relative to the directory of this file.
	CRDs []string `yaml:"crds" flag:"crds"`

	// The Kubernetes release whose embedded schemas validate the
	// manifests, 1.33 to 1.37; empty for the newest.
	KubernetesVersion string `yaml:"kubernetesVersion" flag:"kubernetes-version"`

	// The Kubernetes release API versions are checked against: removed
	// APIs are errors, deprecated ones warnings. Empty for
	// kubernetesVersion if set, else the newest release kubegate knows.
	TargetVersion string `yaml:"targetVersion" flag:"target-version"`

	// Unknown fields are errors, as under the API server's strict field
	// validation; false makes them warnings.
	Strict bool `yaml:"strict" flag:"strict"`

	// A custom resource whose CRD is neither in the input nor under crds
	// is an error rather than a warning.
	RequireSchemas bool `yaml:"requireSchemas" flag:"require-schemas"`

	// The lowest severity that fails the run: error, warning or info.
	FailOn string `yaml:"failOn" flag:"fail-on"`

	// Report formats, as --output takes them: FORMAT for stdout (one at
	// most), FORMAT=FILE for a file, relative to the directory of this
	// file. Example: [text, json=reports/kubegate.json]
	Outputs []string `yaml:"outputs" flag:"output"`

	// Honour kubegate.io/ignore annotations on objects and pod templates.
	// false makes every finding count whatever the manifests say, so a team
	// cannot exempt itself where this file is the gate.
	IgnoreAnnotations bool `yaml:"ignoreAnnotations" flag:"no-ignore-annotations"`
}

// Rules chooses and tunes rules. Every rule ID must be one `kubegate rules
// list` prints (or one of the policies'); an unknown ID is an error, so a
// typo never silently turns a check off.
type Rules struct {
	// Run only these rules and no others.
	Only []string `yaml:"only" flag:"only"`

	// Run these rules too, including those off by default.
	Enable []string `yaml:"enable" flag:"enable"`

	// Do not run these rules; disable wins over enable.
	Disable []string `yaml:"disable" flag:"disable"`

	// Severity overrides, rule ID to error, warning or info. Example:
	// {image-tag: error}
	Severity map[string]string `yaml:"severity" flag:"severity"`

	// Rule parameters, rule ID to a mapping of parameter names to values,
	// decoded strictly by the rule (`kubegate rules explain RULE` lists
	// them). Example: {qos-min-class: {minQoSClass: Burstable}}
	Params map[string]map[string]any `yaml:"params" flag:"param"`
}

// Exemption suppresses the findings of some rules on some objects.
type Exemption struct {
	// The rule IDs whose findings are suppressed; every rule when left out.
	Rules []string `yaml:"rules"`

	// Glob patterns of the namespaces covered; any namespace when left out.
	// An object without a namespace is in "default"; cluster-scoped objects
	// match only an exemption that names no namespaces.
	Namespaces []string `yaml:"namespaces"`

	// Glob patterns of the kinds covered (Deployment, "*Role*"); any kind
	// when left out.
	Kinds []string `yaml:"kinds"`

	// Glob patterns of the object names covered; any name when left out.
	Names []string `yaml:"names"`

	// Why these objects are exempt. Required: it is shown with every
	// finding the exemption suppresses.
	Reason string `yaml:"reason"`
}

// Default returns the configuration in effect without a file, which is
// what every key of a file defaults to.
func Default() Config {
	return Config{
		Version:           Version,
		Rules:             Rules{Only: []string{}, Enable: []string{}, Disable: []string{}, Severity: map[string]string{}, Params: map[string]map[string]any{}},
		Exclude:           []string{},
		Exemptions:        []Exemption{},
		Policies:          []string{},
		CRDs:              []string{},
		Strict:            true,
		FailOn:            "error",
		Outputs:           []string{"text"},
		IgnoreAnnotations: true,
	}
}

// Flags lists the lint flags that override keys of the file, from the flag
// tags: `config show` takes them too.
func Flags() []string {
	var out []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if name := f.Tag.Get("flag"); name != "" {
				out = append(out, name)
			}
			if f.Type.Kind() == reflect.Struct {
				walk(f.Type)
			}
		}
	}
	walk(reflect.TypeOf(Config{}))
	return out
}
