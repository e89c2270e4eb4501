package policy

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/tester"
)

// TestSummary counts the outcomes of a policy test run.
type TestSummary struct {
	Passed, Failed, Errored, Skipped int
}

// RunTests runs the Rego unit tests (rules named test_*) with OPA's tester
// and reports them to w as `opa test` does. Tests come from opts.Dirs; when
// Dirs is empty, from opts.Builtin (kubegate's own policy tests). The
// built-in policies are always compiled in, so user tests may exercise
// policies that import data.lib.kubegate. A parse or compile error is a
// *CompileError.
func RunTests(ctx context.Context, opts Options, w io.Writer, verbose bool) (TestSummary, error) {
	var sum TestSummary
	builtinTests := len(opts.Dirs) == 0
	libOpts := Options{Builtin: opts.Builtin, BuiltinPrefix: opts.BuiltinPrefix}
	srcs, err := readSources(libOpts, builtinTests)
	if err != nil {
		return sum, err
	}
	if !builtinTests {
		user, err := readSources(Options{Dirs: opts.Dirs}, true)
		if err != nil {
			return sum, err
		}
		srcs = append(srcs, user...)
	}
	modules, err := parseModules(srcs, true)
	if err != nil {
		return sum, err
	}
	compiler := ast.NewCompiler().WithStrict(true).WithEnablePrintStatements(true)
	ch, err := tester.NewRunner().
		SetCompiler(compiler).
		SetModules(modules).
		CapturePrintOutput(true).
		RunTests(ctx, nil)
	if err != nil {
		var list ast.Errors
		if errors.As(err, &list) {
			return sum, compileError(list)
		}
		return sum, fmt.Errorf("run policy tests: %w", err)
	}
	// Count while the reporter prints: tee the channel.
	counted := make(chan *tester.Result)
	go func() {
		defer close(counted)
		for r := range ch {
			switch {
			case r.Skip:
				sum.Skipped++
			case r.Error != nil:
				sum.Errored++
			case r.Fail:
				sum.Failed++
			default:
				sum.Passed++
			}
			counted <- r
		}
	}()
	if err := (tester.PrettyReporter{Output: w, Verbose: verbose, FailureLine: true}).Report(counted); err != nil {
		return sum, fmt.Errorf("report policy tests: %w", err)
	}
	return sum, nil
}
