package cli

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kubegate/kubegate/cmd/kubegate/internal/config"
	"github.com/kubegate/kubegate/engine"
)

// configSettings are the flags about the configuration file, and the file
// they led to.
type configSettings struct {
	path     string // --config
	none     bool   // --no-config
	noIgnore bool   // --no-ignore-annotations, or ignoreAnnotations: false
	// file is the configuration in use; nil when there is none.
	file *config.File
	// searched is the directory the search started from, for `config
	// show` to say where it looked.
	searched string
}

// addFlags adds --config and --no-config (persistent) and
// --no-ignore-annotations to cmd.
func (c *configSettings) addFlags(cmd *cobra.Command) {
	c.addFileFlags(cmd.PersistentFlags())
	cmd.Flags().BoolVar(&c.noIgnore, "no-ignore-annotations", false, "let no kubegate.io/ignore annotation suppress a finding, so every finding counts (config key ignoreAnnotations)")
}

func (c *configSettings) addFileFlags(f *pflag.FlagSet) {
	f.StringVar(&c.path, "config", "", "configuration file (default: "+config.FileName+" in the working directory or the nearest parent)")
	f.BoolVar(&c.none, "no-config", false, "use no configuration file, even if one is found")
}

// load finds and decodes the configuration file, unless --no-config.
func (c *configSettings) load(streams IO) error {
	if c.none && c.path != "" {
		return usageError("--config and --no-config exclude each other")
	}
	if c.none {
		return nil
	}
	path, name := c.path, c.path
	if path == "" {
		wd, err := os.Getwd()
		if err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("find %s: %w", config.FileName, err)}
		}
		c.searched = wd
		found, err := config.Find(wd)
		if err != nil {
			return &exitError{code: ExitError, err: err}
		}
		if found == "" {
			return nil
		}
		path, name = found, found
		if rel, err := filepath.Rel(wd, found); err == nil {
			name = rel
		}
	}
	f, err := config.Load(path, name)
	if err != nil {
		return reportErrors(streams, err)
	}
	c.file = f
	return nil
}

// reportErrors prints each error joined in err on a line of its own and
// returns exit 2, so that every mistake in a configuration file shows at
// once, each at its file:line:col.
func reportErrors(streams IO, err error) error {
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) {
		return &exitError{code: ExitError, err: err}
	}
	for _, e := range joined.Unwrap() {
		_, _ = fmt.Fprintf(streams.Err, "kubegate: %v\n", e)
	}
	return &exitError{code: ExitError}
}

// check validates the file's rule IDs and parameters against all.
func (c *configSettings) check(streams IO, all []engine.Rule) error {
	if c.file == nil {
		return nil
	}
	if err := c.file.Check(all); err != nil {
		return reportErrors(streams, err)
	}
	return nil
}

// exclude is the loader's exclude test; nil without a file.
func (c *configSettings) exclude() func(string) bool {
	if c.file == nil {
		return nil
	}
	return c.file.Excluder()
}

// engineOptions are the ignore annotations switch and the exemptions.
func (c *configSettings) engineOptions() []engine.Option {
	opts := []engine.Option{engine.WithIgnoreAnnotations(!c.noIgnore)}
	if c.file != nil {
		opts = append(opts, engine.WithSuppressor(c.file.Suppressor()))
	}
	return opts
}

// applyConfig loads the configuration file and merges it into o. A flag
// given on the command line wins over the file's key:
//
//   - failOn, kubernetesVersion, targetVersion, strict, requireSchemas,
//     ignoreAnnotations and outputs: the flag replaces the key;
//   - rules.only: --only replaces the list;
//   - rules.enable and rules.disable: the flags add to the lists, and
//     --enable takes a rule off the file's disable list (--disable wins over
//     --enable, as on the command line alone);
//   - rules.severity and rules.params: merged rule by rule (parameter by
//     parameter), the flags winning;
//   - policies and crds: the flags add to the file's;
//   - exclude and exemptions have no flags.
//
// Without a file the defaults apply, which are the flags' own.
func (o *lintOptions) applyConfig(flags *pflag.FlagSet, streams IO) error {
	if err := o.config.load(streams); err != nil {
		return err
	}
	f := o.config.file
	c := config.Default()
	if f != nil {
		c = f.Config
	}
	set := flags.Changed
	if !set("fail-on") {
		o.failOn = c.FailOn
	}
	if !set("kubernetes-version") {
		o.kubernetesVersion = c.KubernetesVersion
	}
	if !set("target-version") {
		o.targetVersion = c.TargetVersion
	}
	if !set("strict") {
		o.strict = c.Strict
	}
	if !set("require-schemas") {
		o.requireSchemas = c.RequireSchemas
	}
	if !set("no-ignore-annotations") {
		o.config.noIgnore = !c.IgnoreAnnotations
	}
	if !set("output") {
		outs, err := fileOutputs(f, c.Outputs)
		if err != nil {
			return reportErrors(streams, err)
		}
		o.outputs = outs
	}
	if f != nil {
		o.policyDirs = append(resolveAll(f, c.Policies), o.policyDirs...)
		o.crdDirs = append(resolveAll(f, c.CRDs), o.crdDirs...)
	}
	o.rules = o.rules.withFile(c.Rules)
	return nil
}

// fileOutputs checks the formats of the file's outputs and resolves their
// files against its directory.
func fileOutputs(f *config.File, outputs []string) ([]string, error) {
	out := make([]string, 0, len(outputs))
	var errs []error
	for i, o := range outputs {
		format, path, toFile := strings.Cut(o, "=")
		if !slices.Contains(outputFormats, format) {
			if f == nil {
				return nil, usageError("output %q: want %s, or FORMAT=FILE", o, strings.Join(outputFormats, ", "))
			}
			errs = append(errs, f.Errorf(fmt.Sprintf("outputs[%d]", i), "%q: want %s, or FORMAT=FILE", o, strings.Join(outputFormats, ", ")))
			continue
		}
		if toFile && f != nil {
			o = format + "=" + f.Resolve(path)
		}
		out = append(out, o)
	}
	return out, errors.Join(errs...)
}

func resolveAll(f *config.File, paths []string) []string {
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		out = append(out, f.Resolve(p))
	}
	return out
}

// withFile merges the file's rule settings under the flags' (see
// applyConfig).
func (s ruleSelection) withFile(r config.Rules) ruleSelection {
	out := s
	if len(s.only) == 0 {
		out.only = slices.Clone(r.Only)
	}
	out.enable = union(without(r.Enable, s.disable), s.enable)
	out.disable = union(without(r.Disable, s.enable), s.disable)
	out.severity = nil
	for _, id := range slices.Sorted(maps.Keys(r.Severity)) {
		out.severity = append(out.severity, id+"="+r.Severity[id])
	}
	// Later entries win, so the flags come after the file's.
	out.severity = append(out.severity, s.severity...)
	out.fileParams = r.Params
	return out
}

// without returns the items of list not in drop.
func without(list, drop []string) []string {
	var out []string
	for _, x := range list {
		if !slices.Contains(drop, x) {
			out = append(out, x)
		}
	}
	return out
}

// union returns a's items, then b's not in a.
func union(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
