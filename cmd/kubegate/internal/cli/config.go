package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	yaml "go.yaml.in/yaml/v3"

	"github.com/kubegate/kubegate/cmd/kubegate/internal/config"
	"github.com/kubegate/kubegate/engine"
)

func newConfigCmd(streams IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Write or show the configuration file (" + config.FileName + ")",
		Long: "kubegate lint reads " + config.FileName + " from the working directory or the nearest\n" +
			"parent directory holding one, or the file --config names. Flags given on the command\n" +
			"line win over it. See docs/config.md.",
	}
	cmd.AddCommand(newConfigInitCmd(streams), newConfigShowCmd(streams))
	return cmd
}

type configInitOptions struct {
	force  bool
	stdout bool
}

func newConfigInitCmd(streams IO) *cobra.Command {
	o := &configInitOptions{}
	cmd := &cobra.Command{
		Use:   "init [FILE | -]",
		Short: "Write a commented default " + config.FileName,
		Long: "Write a configuration file with every key, commented, at its default value:\n" +
			config.FileName + " in the working directory unless FILE is given; - or --stdout prints it.\n" +
			"An existing file is left alone unless --force.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			path := config.FileName
			if len(args) == 1 {
				path = args[0]
			}
			return o.run(streams, path)
		},
	}
	cmd.Flags().BoolVar(&o.force, "force", false, "overwrite an existing file")
	cmd.Flags().BoolVar(&o.stdout, "stdout", false, "print the file instead of writing it")
	return cmd
}

func (o *configInitOptions) run(streams IO, path string) error {
	if o.stdout || path == "-" {
		if _, err := streams.Out.Write(config.Template()); err != nil {
			return &exitError{code: ExitError, err: fmt.Errorf("write config: %w", err)}
		}
		return nil
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if o.force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return usageError("config init: %s exists; pass --force to overwrite it", path)
	}
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("write config: %w", err)}
	}
	_, err = f.Write(config.Template())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("write config %s: %w", path, err)}
	}
	_, _ = fmt.Fprintf(streams.Out, "wrote %s\n", path)
	return nil
}

func newConfigShowCmd(streams IO) *cobra.Command {
	o := &lintOptions{}
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Print the configuration in effect: the file merged with the flags given",
		Long: "Print, as YAML, the configuration lint would use from this directory: the file\n" +
			"found (or named with --config) with the lint flags given here merged over it, the\n" +
			"same way lint merges them. Rule IDs and parameters are checked as lint checks them.",
		Example: "  kubegate config show\n" +
			"  kubegate config show --config ci/kubegate.yaml --fail-on warning",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.applyConfig(cmd.Flags(), streams); err != nil {
				return err
			}
			return o.show(cmd, streams)
		},
	}
	// The flags are lint's own, taken from a lint command over o, so that
	// their parsing, defaults and help cannot drift apart.
	lint := newLintCmdWith(o, streams)
	overrides := config.Flags()
	add := func(fl *pflag.Flag) {
		if slices.Contains(overrides, fl.Name) || fl.Name == "config" || fl.Name == "no-config" {
			cmd.Flags().AddFlag(fl)
		}
	}
	lint.PersistentFlags().VisitAll(add)
	lint.Flags().VisitAll(add)
	return cmd
}

// show prints the effective configuration.
func (o *lintOptions) show(cmd *cobra.Command, streams IO) error {
	all, policyErrs, err := loadRules(cmd.Context(), o.policyDirs)
	if err != nil {
		return &exitError{code: ExitError, err: err}
	}
	if len(policyErrs) > 0 {
		for _, e := range policyErrs {
			_, _ = fmt.Fprintf(streams.Err, "kubegate: %v\n", e)
		}
		return &exitError{code: ExitError}
	}
	if err := o.config.check(streams, all); err != nil {
		return err
	}
	if _, _, err := o.rules.apply(all); err != nil {
		return err
	}
	if _, err := parseOutputs(o.outputs); err != nil {
		return err
	}
	if _, err := engine.ParseSeverity(o.failOn); err != nil {
		return usageError("--fail-on: %v", err)
	}
	eff := o.effective(all)

	var b bytes.Buffer
	switch f := o.config.file; {
	case f != nil:
		fmt.Fprintf(&b, "# Configuration in effect: %s merged with the command line.\n", f.Name)
		fmt.Fprintf(&b, "# Exclude patterns match paths relative to %s; other paths are relative to the working directory.\n", f.Dir)
	case o.config.none:
		b.WriteString("# Configuration in effect: no config file (--no-config); defaults merged with the command line.\n")
	default:
		fmt.Fprintf(&b, "# Configuration in effect: no config file found (%s in %s or a parent); defaults merged with the command line.\n", config.FileName, o.config.searched)
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(eff); err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("encode config: %w", err)}
	}
	if err := enc.Close(); err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("encode config: %w", err)}
	}
	if _, err := streams.Out.Write(b.Bytes()); err != nil {
		return &exitError{code: ExitError, err: fmt.Errorf("write config: %w", err)}
	}
	return nil
}

// effective is the configuration lint runs with, after applyConfig, as a
// config.Config. all types the --param values as lint does.
func (o *lintOptions) effective(all []engine.Rule) config.Config {
	c := config.Default()
	if f := o.config.file; f != nil {
		c.Exclude = f.Config.Exclude
		c.Exemptions = f.Config.Exemptions
	}
	c.Rules.Only = nonNil(o.rules.only)
	c.Rules.Enable = nonNil(o.rules.enable)
	c.Rules.Disable = nonNil(o.rules.disable)
	for _, s := range o.rules.severity {
		id, level, _ := strings.Cut(s, "=")
		sev, _ := engine.ParseSeverity(level) // checked by apply
		c.Rules.Severity[id] = sev.String()
	}
	for id, p := range o.rules.fileParams {
		c.Rules.Params[id] = maps.Clone(p)
	}
	metas := map[string]engine.Meta{}
	for _, r := range all {
		metas[r.Meta().ID] = r.Meta()
	}
	for _, p := range o.rules.params {
		key, value, _ := strings.Cut(p, "=")
		dot := strings.LastIndexByte(key, '.')
		id, name := key[:dot], key[dot+1:] // checked by apply
		if c.Rules.Params[id] == nil {
			c.Rules.Params[id] = map[string]any{}
		}
		c.Rules.Params[id][name] = paramValue(metas[id], name, value)
	}
	c.Policies = nonNil(o.policyDirs)
	c.CRDs = nonNil(o.crdDirs)
	c.KubernetesVersion = o.kubernetesVersion
	c.TargetVersion = o.targetVersion
	c.Strict = o.strict
	c.RequireSchemas = o.requireSchemas
	c.FailOn = o.failOn
	c.Outputs = nonNil(o.outputs)
	c.IgnoreAnnotations = !o.config.noIgnore
	return c
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
