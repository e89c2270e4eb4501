package output

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"

	"github.com/kubegate/kubegate/engine"
)

// TextOptions configure the text format.
type TextOptions struct {
	// Color turns on ANSI colours for severities.
	Color bool
}

// WriteText writes one line per unsuppressed finding, sorted as the engine
// sorts them:
//
//	deploy.yaml:12:9: error: liveness probe ... [probe-success-threshold]
//
// then one line per error, then a summary line.
func WriteText(w io.Writer, r *Report, opts TextOptions) error {
	bw := bufio.NewWriter(w)
	paint := func(c *color.Color, s string) string {
		if opts.Color {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c.Sprint(s)
	}
	red, yellow, cyan := color.New(color.FgRed, color.Bold), color.New(color.FgYellow, color.Bold), color.New(color.FgCyan)
	sev := func(s engine.Severity) string {
		switch s {
		case engine.Error:
			return paint(red, s.String())
		case engine.Warning:
			return paint(yellow, s.String())
		default:
			return paint(cyan, s.String())
		}
	}
	// A bufio.Writer keeps its first error; Flush reports it.
	for _, f := range r.Findings {
		if f.Suppressed {
			continue
		}
		_, _ = fmt.Fprintf(bw, "%s: %s: %s [%s]\n", position(f.Location), sev(f.Severity), oneLine(f.Message), f.RuleID)
	}
	for _, e := range r.Errors {
		_, _ = fmt.Fprintf(bw, "%s: %s: %s\n", position(e.Location), paint(red, "input error"), oneLine(e.Err.Error()))
	}
	writeSummary(bw, r)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

// writeSummary writes the closing line of the text and github formats:
// "12 objects in 3 files: 1 error, 4 warnings, 0 info".
func writeSummary(bw *bufio.Writer, r *Report) {
	// A bufio.Writer keeps its first error; the caller's Flush reports it.
	c := r.Count()
	_, _ = fmt.Fprintf(bw, "%s in %s: %s, %s, %s",
		plural(len(r.Objects), "object", "objects"), plural(r.Files, "file", "files"),
		plural(c.Errors, "error", "errors"), plural(c.Warnings, "warning", "warnings"), plural(c.Infos, "info", "info"))
	if c.Suppressed > 0 {
		_, _ = fmt.Fprintf(bw, ", %d suppressed", c.Suppressed)
	}
	if len(r.Errors) > 0 {
		_, _ = fmt.Fprintf(bw, "; %s", plural(len(r.Errors), "input error", "input errors"))
	}
	_, _ = fmt.Fprintln(bw)
}

// position renders file:line:col, leaving out what is unknown.
func position(l engine.Location) string {
	switch {
	case l.Line > 0 && l.Column > 0:
		return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column)
	case l.Line > 0:
		return fmt.Sprintf("%s:%d", l.File, l.Line)
	default:
		return l.File
	}
}

// oneLine keeps a multi-line message on its finding's line, so the output
// stays one finding a line for grep and editors.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
