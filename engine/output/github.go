package output

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kubegate/kubegate/engine"
)

// WriteGitHub writes GitHub Actions workflow commands, which the runner
// turns into annotations on the pull request's diff:
//
//	::error file=deploy.yaml,line=12,col=9,title=probe-success-threshold::liveness probe ...
//
// Errors and warnings keep their level; info findings become notices.
// Suppressed findings are left out, as in the text format. Input errors are
// error annotations titled "kubegate", at their file and line when known.
// A summary line closes the output, as plain log text.
func WriteGitHub(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	for _, f := range r.Findings {
		if f.Suppressed {
			continue
		}
		writeCommand(bw, githubLevel(f.Severity), f.Location, f.RuleID, f.Message)
	}
	for _, e := range r.Errors {
		writeCommand(bw, "error", e.Location, "kubegate", e.Err.Error())
	}
	writeSummary(bw, r)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write github annotations: %w", err)
	}
	return nil
}

func githubLevel(s engine.Severity) string {
	switch s {
	case engine.Error:
		return "error"
	case engine.Warning:
		return "warning"
	default:
		return "notice"
	}
}

// writeCommand writes one workflow command. Properties are left out when
// unknown (a file that could not be read has no line). A bufio.Writer
// keeps its first error; the caller's Flush reports it.
func writeCommand(w *bufio.Writer, level string, loc engine.Location, title, msg string) {
	props := make([]string, 0, 4)
	if loc.File != "" {
		props = append(props, "file="+escapeProperty(loc.File))
	}
	if loc.Line > 0 {
		props = append(props, "line="+strconv.Itoa(loc.Line))
	}
	if loc.Column > 0 {
		props = append(props, "col="+strconv.Itoa(loc.Column))
	}
	props = append(props, "title="+escapeProperty(title))
	_, _ = fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(props, ","), escapeData(msg))
}

// escapeData escapes a command's message the way the runner unescapes it
// (actions/toolkit's command.ts): a newline would end the command.
var dataEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")

// propertyEscaper also escapes the characters that separate properties.
var propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")

func escapeData(s string) string     { return dataEscaper.Replace(s) }
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
