package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"
)

// Exit codes, as DESIGN.md fixes them for lint.
const (
	// ExitOK means no finding at or above --fail-on.
	ExitOK = 0
	// ExitFindings means findings at or above --fail-on.
	ExitFindings = 1
	// ExitError means a usage, input or policy error.
	ExitError = 2
)

// IO is where a run reads and writes.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
}

// exitError carries an exit code through cobra. A nil err means the
// command has already said everything it had to say.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageError is a mistake in the command line: exit 2.
func usageError(format string, args ...any) error {
	return &exitError{code: ExitError, err: fmt.Errorf(format, args...)}
}

// Run runs kubegate with args (without the program name), reading stdin
// from os.Stdin, and returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return RunIO(ctx, args, IO{In: os.Stdin, Out: stdout, Err: stderr})
}

// RunIO is Run with every stream given, for tests and embedding.
func RunIO(ctx context.Context, args []string, streams IO) int {
	defaultGC()
	root := newRootCmd(streams)
	root.SetArgs(args)
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.Err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			_, _ = fmt.Fprintf(streams.Err, "kubegate: %v\n", ee.err)
		}
		return ee.code
	}
	// Cobra's own errors (unknown flag, missing argument) are usage errors.
	_, _ = fmt.Fprintf(streams.Err, "kubegate: %v\n", err)
	return ExitError
}

func newRootCmd(streams IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "kubegate",
		Short: "Lint, validate and police Kubernetes manifests",
		Long: "kubegate checks Kubernetes manifests against how Kubernetes behaves and what the API\n" +
			"server accepts, with Go and Rego rules, and reports every finding at file:line:column.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newLintCmd(streams),
		newConfigCmd(streams),
		newRulesCmd(streams),
		newPolicyCmd(streams),
		newSchemaCmd(streams),
		newRbacCmd(streams),
		newVersionCmd(streams),
	)
	return root
}
