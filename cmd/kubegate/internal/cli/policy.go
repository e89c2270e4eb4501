package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kubegate/kubegate/engine/policy"
	"github.com/kubegate/kubegate/rules"
)

func newPolicyCmd(streams IO) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Work with Rego policies",
	}
	cmd.AddCommand(newPolicyTestCmd(streams))
	return cmd
}

type policyTestOptions struct {
	verbose bool
}

func newPolicyTestCmd(streams IO) *cobra.Command {
	o := &policyTestOptions{}
	cmd := &cobra.Command{
		Use:   "test DIR...",
		Short: "Run the Rego unit tests (test_ rules) of policy directories, as opa test does",
		Long: "Run the test_ rules of the .rego files under each DIR with OPA's test runner.\n" +
			"kubegate's built-in policies and its helper library (data.lib.kubegate) are\n" +
			"compiled in. Exit codes: 0 all pass; 1 a test fails; 2 the policies do not compile.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			sum, err := policy.RunTests(cmd.Context(), rules.PolicyOptions(args), streams.Out, o.verbose)
			var ce *policy.CompileError
			switch {
			case errors.As(err, &ce):
				for _, e := range ce.Errors {
					_, _ = fmt.Fprintf(streams.Err, "%v\n", e)
				}
				return &exitError{code: ExitError, err: fmt.Errorf("policy test: %d compile errors", len(ce.Errors))}
			case err != nil:
				return &exitError{code: ExitError, err: err}
			case sum.Failed+sum.Errored > 0:
				return &exitError{code: ExitFindings}
			case sum.Passed == 0:
				return &exitError{code: ExitError, err: errors.New("policy test: no test_ rules found")}
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&o.verbose, "verbose", "v", false, "print every test, not only failures")
	return cmd
}
