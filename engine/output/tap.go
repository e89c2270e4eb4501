package output

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/kubegate/kubegate/engine"
)

// tapDiagnostic is a test point's YAML block. Its first keys (message,
// severity, rule, at) are always there for a failure, so a consumer can
// read them without knowing how many findings there were; findings lists
// them all when there are several.
type tapDiagnostic struct {
	Message     string       `yaml:"message"`
	Severity    string       `yaml:"severity"`
	Rule        string       `yaml:"rule,omitempty"`
	At          string       `yaml:"at,omitempty"`
	Object      string       `yaml:"object,omitempty"`
	Path        string       `yaml:"path,omitempty"`
	Remediation string       `yaml:"remediation,omitempty"`
	Docs        string       `yaml:"docs,omitempty"`
	Findings    []tapFinding `yaml:"findings,omitempty"`
}

type tapFinding struct {
	Message     string `yaml:"message"`
	Severity    string `yaml:"severity"`
	At          string `yaml:"at"`
	Path        string `yaml:"path,omitempty"`
	Remediation string `yaml:"remediation,omitempty"`
	Docs        string `yaml:"docs,omitempty"`
}

// WriteTAP writes the report as TAP version 14, for prove, tap-junit and
// the other TAP consumers. There is one test point per object and rule
// that applies to its kind, as in the JUnit format, rather than one per
// object: a point then answers one question (does this object pass this
// rule?), its counts mean checks, and a suppressed rule can be skipped
// ("# SKIP" with the suppression's reason) while another rule fails the
// same object. A failing point is "not ok" with a YAML block (message,
// severity, rule, at: file:line:col, and every finding when there are
// several). A rule that failed on the object, and each input error, are
// "not ok" points too. The output never bails out: every file is reported.
func WriteTAP(w io.Writer, r *Report) error {
	var cases []*testCase
	for _, s := range testSuites(r) {
		cases = append(cases, s.cases...)
	}
	bw := bufio.NewWriter(w)
	// A bufio.Writer keeps its first error; Flush reports it.
	_, _ = bw.WriteString("TAP version 14\n")
	if len(cases) == 0 {
		_, _ = bw.WriteString("1..0 # SKIP no objects to check\n")
	} else {
		_, _ = fmt.Fprintf(bw, "1..%d\n", len(cases))
	}
	for i, tc := range cases {
		if err := writeTestPoint(bw, i+1, tc); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write tap report: %w", err)
	}
	return nil
}

func writeTestPoint(bw *bufio.Writer, n int, tc *testCase) error {
	var desc string
	if tc.object == nil {
		desc = "input error " + inputErrorWhere(tc.err.Location)
	} else {
		desc = tc.rule + " " + objectName(*tc.object) + " in " + tc.file
	}
	desc = tapEscape(desc)
	switch tc.status() {
	case passed:
		_, _ = fmt.Fprintf(bw, "ok %d - %s\n", n, desc)
		return nil
	case skipped:
		var why []string
		for _, f := range tc.suppressed {
			if s := suppressionText(f); !slices.Contains(why, s) {
				why = append(why, s)
			}
		}
		_, _ = fmt.Fprintf(bw, "ok %d - %s # SKIP %s\n", n, desc, tapEscape(oneLine(strings.Join(why, "; "))))
		return nil
	}
	_, _ = fmt.Fprintf(bw, "not ok %d - %s\n", n, desc)
	return writeDiagnostic(bw, tapDiagnosticOf(tc))
}

func tapDiagnosticOf(tc *testCase) tapDiagnostic {
	if tc.object == nil {
		return tapDiagnostic{Message: tc.err.Err.Error(), Severity: engine.Error.String(), At: position(tc.err.Location)}
	}
	d := tapDiagnostic{Rule: tc.rule, Object: objectName(*tc.object)}
	if tc.err == nil && len(tc.findings) == 1 {
		f := tc.findings[0]
		d.Message, d.Severity, d.At = f.Message, f.Severity.String(), position(f.Location)
		d.Path, d.Remediation, d.Docs = f.Path.String(), f.Remediation, f.DocURL
		return d
	}
	worst := engine.Info
	for _, f := range tc.findings {
		worst = max(worst, f.Severity)
		d.Findings = append(d.Findings, tapFinding{
			Message: f.Message, Severity: f.Severity.String(), At: position(f.Location),
			Path: f.Path.String(), Remediation: f.Remediation, Docs: f.DocURL,
		})
	}
	if tc.err != nil {
		d.Message, d.Severity, d.At = tc.err.Err.Error(), engine.Error.String(), position(tc.err.Location)
		return d
	}
	d.Message = strconv.Itoa(len(tc.findings)) + " findings"
	d.Severity, d.At = worst.String(), position(tc.findings[0].Location)
	return d
}

// writeDiagnostic writes d as the YAML block under a test point, indented
// by two spaces between "---" and "...".
func writeDiagnostic(bw *bufio.Writer, d tapDiagnostic) error {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("write tap diagnostic: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write tap diagnostic: %w", err)
	}
	_, _ = bw.WriteString("  ---\n")
	for line := range strings.Lines(b.String()) {
		_, _ = bw.WriteString("  " + line)
	}
	_, _ = bw.WriteString("  ...\n")
	return nil
}

// tapEscaper escapes what TAP reads specially in a description or
// directive: "#" starts a directive, "\" escapes, and a line break would
// end the test point.
var tapEscaper = strings.NewReplacer(`\`, `\\`, "#", `\#`, "\n", " ", "\r", " ")

func tapEscape(s string) string { return tapEscaper.Replace(s) }
