package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
	"github.com/kubegate/kubegate/engine/output"
	"github.com/kubegate/kubegate/engine/policy"
	"github.com/kubegate/kubegate/rules"
	"github.com/kubegate/kubegate/schema"
)

type lintOptions struct {
	outputs       []string
	failOn        string
	policyDirs    []string
	noColor       bool
	rules         ruleSelection
	maxFileSize   int64
	targetVersion string
	// schema rule settings
	kubernetesVersion string
	strict            bool
	requireSchemas    bool
	crdDirs           []string
	fix               fixOptions
	render            renderOptions
	// config is the configuration file and the flags about it.
	config configSettings
}

func newLintCmd(streams IO) *cobra.Command { return newLintCmdWith(&lintOptions{}, streams) }

// newLintCmdWith builds lint over o; `config show` builds one to take the
// flags that override configuration keys from it.
func newLintCmdWith(o *lintOptions, streams IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lint PATH... | -",
		Short: "Lint manifests in files, directories or stdin",
		Long: "Lint Kubernetes manifests: files, directories (recursively: .yaml, .yml, .json)\n" +
			"and stdin (-). Every finding names file:line:column.\n\n" +
			"Helm charts (a directory with Chart.yaml, or a .tgz) are rendered as helm template\n" +
			"renders them, and directories with a kustomization.yaml are built as kustomize build\n" +
			"builds them, both offline; findings point at the template or file that wrote each field.\n\n" +
			"Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;\n" +
			"2 usage, input or policy errors.",
		Example: "  kubegate lint deploy/\n" +
			"  kubegate lint ./chart -f values-prod.yaml --set image.tag=1.2.3\n" +
			"  kubegate lint overlays/prod\n" +
			"  helm template ./chart | kubegate lint -\n" +
			"  kubegate lint -o json --fail-on warning manifests/\n" +
			"  kubegate lint -o text -o github -o json=reports/kubegate.json manifests/\n" +
			"  kubegate lint -o text -o sarif=kubegate.sarif -o junit=kubegate.junit.xml manifests/\n" +

			"  kubegate lint --diff manifests/ | git apply",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError("lint: name at least one file, directory or - for stdin")
			}
			if err := o.applyConfig(cmd.Flags(), streams); err != nil {
				return err
			}
			return o.run(cmd.Context(), streams, args)
		},
	}
	f := cmd.Flags()
	f.StringArrayVarP(&o.outputs, "output", "o", []string{"text"}, "output format, text, json, github, sarif, junit or tap, to stdout, or FORMAT=FILE to write a file; repeatable, one of them on stdout at most")
	f.StringVar(&o.failOn, "fail-on", "error", "lowest severity that makes the run fail: error, warning or info")
	f.StringArrayVar(&o.policyDirs, "policy", nil, "directory (or file) of Rego policies to add; repeatable")
	f.BoolVar(&o.noColor, "no-color", false, "never colour the text output (NO_COLOR is honoured too)")
	f.StringArrayVar(&o.rules.only, "only", nil, "run only this rule (--only schema validates like kubeconform); repeatable")
	f.StringArrayVar(&o.rules.enable, "enable", nil, "run this rule, also when it is off by default; repeatable")
	f.StringArrayVar(&o.rules.disable, "disable", nil, "do not run this rule; repeatable")
	f.StringArrayVar(&o.rules.params, "param", nil, "set a rule parameter, RULE.NAME=VALUE; repeatable")
	f.StringArrayVar(&o.rules.severity, "severity", nil, "override a rule's severity, RULE=LEVEL; repeatable")
	f.StringVar(&o.kubernetesVersion, "kubernetes-version", "", "Kubernetes release whose embedded schemas to validate against, 1.33 to 1.37 (default: the newest)")
	f.BoolVar(&o.strict, "strict", true, "unknown fields are errors, as under the API server's strict field validation; --strict=false makes them warnings")
	f.BoolVar(&o.requireSchemas, "require-schemas", false, "a custom resource whose CRD is not in the input or under --crds is an error, not a warning")
	f.StringArrayVar(&o.crdDirs, "crds", nil, "directory (or file) of CustomResourceDefinitions whose schemas validate custom resources; repeatable")
	f.Int64Var(&o.maxFileSize, "max-file-size", manifest.DefaultLimits().MaxFileSize, "largest file read, in bytes")
	o.fix.addFlags(f)
	o.render.addFlags(f)
	f.StringVar(&o.targetVersion, "target-version", "", "Kubernetes release to check API versions against, e.g. 1.29: removed APIs are errors, deprecated ones warnings (default: the newest kubegate knows)")
	o.config.addFlags(cmd)
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions(outputFormats, cobra.ShellCompDirectiveNoFileComp))
	_ = cmd.RegisterFlagCompletionFunc("fail-on", cobra.FixedCompletions([]string{"error", "warning", "info"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (o *lintOptions) run(ctx context.Context, streams IO, paths []string) error {
	outs, err := parseOutputs(o.outputs)
	if err != nil {
		return err
	}
	failOn, err := engine.ParseSeverity(o.failOn)
	if err != nil {
		return usageError("--fail-on: %v", err)
	}
	if o.maxFileSize <= 0 {
		return usageError("--max-file-size must be positive")
	}
	defer tuneGC(paths, o.crdDirs)()
	if o.kubernetesVersion != "" {
		v, err := schema.ParseVersion(o.kubernetesVersion)
		if err != nil {
			return usageError("--kubernetes-version: %v", err)
		}
		if _, err := schema.New(v); err != nil {
			return usageError("--kubernetes-version: %v", err)
		}
		o.rules.params = append(o.rules.params, "schema.kubernetesVersion="+v.String())
		if o.targetVersion == "" {
			// Deprecations are judged against the release being validated
			// unless asked otherwise.
			o.targetVersion = v.String()
		}
	}
	if o.targetVersion != "" {
		if _, err := schema.ParseVersion(o.targetVersion); err != nil {
			return usageError("--target-version: %v", err)
		}
		o.rules.params = append(o.rules.params, "deprecated-api.targetVersion="+o.targetVersion)
	}
	if !o.strict {
		o.rules.params = append(o.rules.params, "schema.strict=false")
	}
	if o.requireSchemas {
		o.rules.params = append(o.rules.params, "schema.requireSchemas=true")
	}

	all, policyErrs, err := loadRules(ctx, o.policyDirs)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if err := o.config.check(streams, all); err != nil {
		return err
	}
	selected, severities, err := o.rules.apply(all)
	if err != nil {
		return err
	}

	limits := manifest.DefaultLimits()
	limits.MaxFileSize = o.maxFileSize
	loader := &manifest.Loader{Parser: manifest.NewParser(limits), Stdin: streams.In, Exclude: o.config.exclude()}
	if loader.Renderer, err = o.render.renderer(loader.Parser, o.kubernetesVersion); err != nil {
		return err
	}
	opts := append([]engine.Option{engine.WithSeverityOverrides(severities)}, o.config.engineOptions()...)
	eng := engine.New(selected, opts...)
	fixErrs, err := o.fix.run(ctx, streams, fixInput{loader: loader, paths: paths, engine: eng, targetVersion: o.targetVersion, maxFileSize: o.maxFileSize, errs: policyErrs})
	if err != nil {
		return err
	}
	loaded := loader.Load(ctx, paths)
	inv := loaded.Objects
	var crdErrs []*engine.FileError
	if len(o.crdDirs) > 0 {
		// CRDs under --crds register schemas but are not linted themselves.
		// nor excluded: an exclude pattern is about what to lint.
		crdLoader := *loader
		crdLoader.Exclude = nil
		crds := crdLoader.Load(ctx, o.crdDirs)
		inv = append(append([]*engine.Object(nil), loaded.Objects...), crds.Objects...)
		crdErrs = crds.Errors
	}

	inventory := engine.NewInventory(inv)
	res, err := eng.Run(ctx, loaded.Objects, inventory)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}

	report := &output.Report{
		Findings: res.Findings,
		Objects:  output.SummarizeBrief(loaded.Objects),
		Files:    len(loaded.Files),
		Version:  version(),
	}
	report.Errors = append(report.Errors, policyErrs...)
	report.Errors = append(report.Errors, loaded.Errors...)
	report.Errors = append(report.Errors, crdErrs...)
	report.Errors = append(report.Errors, output.RuleErrors(res.Errors)...)
	report.Errors = append(report.Errors, fixErrs...)
	for _, r := range selected {
		report.Rules = append(report.Rules, r.Meta())
	}

	if slices.ContainsFunc(outs, func(t outputTarget) bool { return t.format == "json" }) {
		report.Objects = output.Summarize(loaded.Objects, inventory) // with QoS classes and claim bindings
	}
	for _, t := range outs {
		if err := t.write(streams, report, o.noColor); err != nil {
			return &exitError{code: ExitError, err: err}
		}
	}
	switch {
	case len(report.Errors) > 0:
		return &exitError{code: ExitError}
	case report.Failing(failOn):
		return &exitError{code: ExitFindings}
	}
	return nil
}

// outputFormats are the values --output takes.
var outputFormats = []string{"text", "json", "github", "sarif", "junit", "tap"}

// outputTarget is one --output: a format, and the file it goes to ("" for
// stdout).
type outputTarget struct {
	format, path string
}

// parseOutputs reads the --output values: FORMAT or FORMAT=FILE, at most
// one of them on stdout, no file named twice.
func parseOutputs(values []string) ([]outputTarget, error) {
	var out []outputTarget
	stdout, files := 0, map[string]bool{}
	for _, v := range values {
		format, path, toFile := strings.Cut(v, "=")
		if !slices.Contains(outputFormats, format) {
			return nil, usageError("--output %q: want %s, or FORMAT=FILE", v, strings.Join(outputFormats, ", "))
		}
		switch {
		case !toFile:
			stdout++
		case path == "":
			return nil, usageError("--output %q: name the file after =", v)
		case files[path]:
			return nil, usageError("--output %q: %s is already an output", v, path)
		default:
			files[path] = true
		}
		out = append(out, outputTarget{format: format, path: path})
	}
	if stdout > 1 {
		return nil, usageError("--output: %d formats on stdout; send all but one to files with FORMAT=FILE", stdout)
	}
	return out, nil
}

// write writes the report in t's format to stdout or to t's file, which is
// created (with its directory) or truncated.
func (t outputTarget) write(streams IO, r *output.Report, noColor bool) (err error) {
	w := streams.Out
	if t.path != "" {
		if dir := filepath.Dir(t.path); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("create report directory: %w", err)
			}
		}
		f, err := os.Create(t.path)
		if err != nil {
			return fmt.Errorf("create report: %w", err)
		}
		defer func() {
			if cerr := f.Close(); err == nil && cerr != nil {
				err = fmt.Errorf("write report %s: %w", t.path, cerr)
			}
		}()
		w = f
	}
	switch t.format {
	case "json":
		return output.WriteJSON(w, r)
	case "github":
		return output.WriteGitHub(w, r)
	case "sarif":
		// Relative file names are relative to the working directory,
		// which SARIF records as their base; without it (a deleted
		// directory) the log is still valid, only without the base.
		root, _ := os.Getwd()
		return output.WriteSARIF(w, r, output.SARIFOptions{SrcRoot: root})
	case "junit":
		return output.WriteJUnit(w, r)
	case "tap":
		return output.WriteTAP(w, r)
	default:
		return output.WriteText(w, r, output.TextOptions{Color: t.path == "" && useColor(streams, noColor)})
	}
}

// loadRules loads the built-in rules and the user's policies. When the
// user's policies do not compile, the built-in rules still run and the
// compile errors are reported with the run, so one broken policy does not
// hide every other finding.
func loadRules(ctx context.Context, policyDirs []string) ([]engine.Rule, []*engine.FileError, error) {
	all, err := rules.Load(ctx, policyDirs)
	if err == nil {
		return all, nil, nil
	}
	var ce *policy.CompileError
	if !errors.As(err, &ce) || len(policyDirs) == 0 {
		return nil, nil, err
	}
	builtin, berr := rules.Builtin(ctx)
	if berr != nil {
		return nil, nil, fmt.Errorf("load built-in rules: %w", berr)
	}
	return builtin, ce.Errors, nil
}

// useColor says whether text output gets colours: only on a terminal, and
// never with --no-color or NO_COLOR set (https://no-color.org).
func useColor(streams IO, noColor bool) bool {
	if noColor || os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := streams.Out.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
