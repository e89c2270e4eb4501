package policy

import (
	"context"
	"errors"
	"io/fs"
	"strings"

	"github.com/kubegate/kubegate/engine"
)

// Options says where policies come from.
type Options struct {
	// Builtin holds kubegate's embedded policies (rules/rego); nil for none.
	Builtin fs.FS
	// Dirs are users' policy directories (--policy), read recursively for
	// .rego files.
	Dirs []string
}

// CompileError lists every problem that kept the policies from compiling,
// each at its file and line.
type CompileError struct {
	Errors []*engine.FileError
}

func (e *CompileError) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		msgs[i] = fe.Error()
	}
	return "compile policies: " + strings.Join(msgs, "; ")
}

// Set is a compiled set of policies.
type Set struct {
	rules []engine.Rule
}

// Load reads and compiles every policy once. A compile error is a
// *CompileError.
func Load(ctx context.Context, opts Options) (*Set, error) {
	_ = ctx
	_ = opts
	return nil, errors.New("load policies: not implemented yet")
}

// Rules returns one engine.Rule per policy package that has deny, violation
// or warn rules.
func (s *Set) Rules() []engine.Rule { return s.rules }
