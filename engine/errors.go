package engine

import "fmt"

// FileError is a failure tied to a place in a file: a manifest that cannot be
// read or parsed, a policy that does not compile. It is an error, not a
// finding: it makes lint exit 2 and the rest of the run still happens.
type FileError struct {
	Location
	Err error
}

// Error renders file:line:col: message, omitting the parts that are unknown.
func (e *FileError) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %v", e.File, e.Line, e.Column, e.Err)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	default:
		return fmt.Sprintf("%s: %v", e.File, e.Err)
	}
}

func (e *FileError) Unwrap() error { return e.Err }
