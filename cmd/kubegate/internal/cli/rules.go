package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/rules"
)

func newRulesCmd(streams IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List and explain the built-in rules",
	}
	cmd.AddCommand(newRulesListCmd(streams), newRulesExplainCmd(streams))
	return cmd
}

type rulesListOptions struct {
	output     string
	policyDirs []string
}

func newRulesListCmd(streams IO) *cobra.Command {
	o := &rulesListOptions{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the rules: ID, severity, source, default state and title",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if o.output != "text" && o.output != "json" {
				return usageError("--output %q: want text or json", o.output)
			}
			all, err := rules.Load(cmd.Context(), o.policyDirs)
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			if o.output == "json" {
				return writeRulesJSON(streams, all)
			}
			tw := tabwriter.NewWriter(streams.Out, 0, 4, 2, ' ', 0)
			_, _ = fmt.Fprintln(tw, "ID\tSEVERITY\tSOURCE\tDEFAULT\tTITLE")
			for _, r := range all {
				m := r.Meta()
				_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", m.ID, m.Severity, sourceKind(m.Source), onOff(m.Disabled), m.Title)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVarP(&o.output, "output", "o", "text", "output format: text or json")
	cmd.Flags().StringArrayVar(&o.policyDirs, "policy", nil, "also list the rules of these Rego policy directories")
	return cmd
}

type ruleJSON struct {
	ID          string             `json:"id"`
	Title       string             `json:"title"`
	Severity    string             `json:"severity"`
	Source      string             `json:"source"`
	Enabled     bool               `json:"enabledByDefault"`
	Kinds       []string           `json:"kinds"`
	Description string             `json:"description"`
	Remediation string             `json:"remediation"`
	DocURL      string             `json:"docURL"`
	Params      []engine.ParamDesc `json:"params"`
}

func writeRulesJSON(streams IO, all []engine.Rule) error {
	out := make([]ruleJSON, 0, len(all))
	for _, r := range all {
		m := r.Meta()
		out = append(out, ruleJSON{
			ID: m.ID, Title: m.Title, Severity: m.Severity.String(), Source: m.Source, Enabled: !m.Disabled,
			Kinds: append([]string{}, m.Kinds...), Description: m.Description, Remediation: m.Remediation,
			DocURL: m.DocURL, Params: append([]engine.ParamDesc{}, m.Params...),
		})
	}
	enc := json.NewEncoder(streams.Out)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func newRulesExplainCmd(streams IO) *cobra.Command {
	var policyDirs []string
	cmd := &cobra.Command{
		Use:   "explain RULE",
		Short: "Explain one rule: what it checks, why, and how to fix its findings",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			all, err := rules.Load(cmd.Context(), policyDirs)
			if err != nil {
				return &exitError{code: ExitError, err: err}
			}
			for _, r := range all {
				if m := r.Meta(); m.ID == args[0] {
					writeExplain(streams, m)
					return nil
				}
			}
			return usageError("rules explain: unknown rule %q; known rules: %s", args[0], strings.Join(sortedIDs(all), ", "))
		},
		ValidArgsFunction: func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
			all, err := rules.Builtin(cmd.Context())
			if err != nil {
				return nil, cobra.ShellCompDirectiveError
			}
			return sortedIDs(all), cobra.ShellCompDirectiveNoFileComp
		},
	}
	cmd.Flags().StringArrayVar(&policyDirs, "policy", nil, "also look in these Rego policy directories")
	return cmd
}

func writeExplain(streams IO, m engine.Meta) {
	w := streams.Out
	_, _ = fmt.Fprintf(w, "%s: %s\n\n", m.ID, m.Title)
	_, _ = fmt.Fprintf(w, "Severity:  %s\n", m.Severity)
	kinds := "all"
	if len(m.Kinds) > 0 {
		kinds = strings.Join(m.Kinds, ", ")
	}
	_, _ = fmt.Fprintf(w, "Kinds:     %s\n", kinds)
	_, _ = fmt.Fprintf(w, "Source:    %s\n", m.Source)
	_, _ = fmt.Fprintf(w, "Default:   %s\n", onOff(m.Disabled))
	if m.DocURL != "" {
		_, _ = fmt.Fprintf(w, "Docs:      %s\n", m.DocURL)
	}
	if m.Description != "" {
		_, _ = fmt.Fprintf(w, "\n%s\n", m.Description)
	}
	if m.Remediation != "" {
		_, _ = fmt.Fprintf(w, "\nRemediation:\n  %s\n", m.Remediation)
	}
	if len(m.Params) > 0 {
		_, _ = fmt.Fprintf(w, "\nParameters (--param %s.NAME=VALUE):\n", m.ID)
		for _, p := range m.Params {
			_, _ = fmt.Fprintf(w, "  %s (%s, default %v): %s\n", p.Name, p.Type, p.Default, p.Description)
		}
	}
}

func sourceKind(src string) string {
	if src == "go" {
		return "go"
	}
	return "rego"
}

func onOff(disabled bool) string {
	if disabled {
		return "off"
	}
	return "on"
}
