package output

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/kubegate/kubegate/engine"
)

// The JUnit XML that Jenkins, GitLab, Azure DevOps and the GitHub test
// reporter actions read: the Ant/Surefire layout, with the file and line
// attributes the reporters use to link a test to its source.
type junitTestSuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Skipped  int              `xml:"skipped,attr"`
	Suites   []junitTestSuite `xml:"testsuite"`
}

type junitTestSuite struct {
	Name     string          `xml:"name,attr"`
	Tests    int             `xml:"tests,attr"`
	Failures int             `xml:"failures,attr"`
	Errors   int             `xml:"errors,attr"`
	Skipped  int             `xml:"skipped,attr"`
	Cases    []junitTestCase `xml:"testcase"`
}

type junitTestCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Skipped   *junitSkipped `xml:"skipped"`
	Error     *junitProblem `xml:"error"`
	Failure   *junitProblem `xml:"failure"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	// Text is the body, escaped by xmlText.
	Text string `xml:",innerxml"`
}

// WriteJUnit writes the report as JUnit XML: one <testsuite> per input
// file, one <testcase> per object and rule that applies to its kind
// (classname Kind/namespace/name, name the rule ID and the object). A
// case with unsuppressed findings fails: one <failure>, typed and named
// after the most severe finding, at whose line the case points, holding
// every finding of the case, each starting file:line:col. A case whose
// findings were all suppressed is <skipped>; a rule that failed on the
// object is an <error>; the rest pass, at the object's first line. Input
// errors are <error> cases of their file's suite. Every finding is a
// failure, whatever its severity: the type attribute says which. Suites
// are ordered by file name, cases as in the input.
func WriteJUnit(w io.Writer, r *Report) error {
	out := junitTestSuites{Name: "kubegate"}
	for _, s := range testSuites(r) {
		js := junitTestSuite{Name: s.file}
		var c caseCounts
		for _, tc := range s.cases {
			c.add(tc)
			js.Cases = append(js.Cases, junitCase(tc))
		}
		js.Tests, js.Failures, js.Errors, js.Skipped = c.tests, c.failures, c.errors, c.skipped
		out.Tests += c.tests
		out.Failures += c.failures
		out.Errors += c.errors
		out.Skipped += c.skipped
		out.Suites = append(out.Suites, js)
	}
	bw := bufio.NewWriter(w)
	_, _ = bw.WriteString(xml.Header)
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	_, _ = bw.WriteString("\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	return nil
}

func junitCase(tc *testCase) junitTestCase {
	if tc.object == nil {
		return junitTestCase{
			Name:      "input error " + inputErrorWhere(tc.err.Location),
			Classname: tc.file,
			File:      tc.file,
			Line:      tc.line,
			Error:     &junitProblem{Message: oneLine(tc.err.Err.Error()), Type: "input error", Text: xmlText(tc.err.Error())},
		}
	}
	out := junitTestCase{
		Name:      tc.rule + " " + objectName(*tc.object),
		Classname: objectName(*tc.object),
		File:      tc.file,
		Line:      tc.line,
	}
	if tc.err != nil {
		out.Error = &junitProblem{Message: oneLine(tc.err.Err.Error()), Type: "rule error", Text: xmlText(tc.err.Error())}
	}
	if len(tc.findings) > 0 {
		// One <failure> per case: Jenkins and GitLab show only the first
		// of several. It is named after the most severe finding (the
		// first of them), points the case's line at it, and lists every
		// finding in its text.
		lead := tc.findings[0]
		texts := make([]string, 0, len(tc.findings))
		for _, f := range tc.findings {
			if f.Severity > lead.Severity {
				lead = f
			}
			texts = append(texts, findingText(f))
		}
		msg := oneLine(lead.Message)
		if n := len(tc.findings) - 1; n > 0 {
			msg += fmt.Sprintf(" (and %d more)", n)
		}
		out.Failure = &junitProblem{Message: msg, Type: lead.Severity.String(), Text: xmlText(strings.Join(texts, "\n\n"))}
		if lead.Location.Line > 0 {
			out.Line = lead.Location.Line
		}
	}
	if tc.status() == skipped {
		var why []string
		for _, f := range tc.suppressed {
			if s := suppressionText(f); !slices.Contains(why, s) {
				why = append(why, s)
			}
		}
		out.Skipped = &junitSkipped{Message: strings.Join(why, "; ")}
	}
	return out
}

// inputErrorWhere is "at file:line:col", or "in file" when the error has
// no position.
func inputErrorWhere(loc engine.Location) string {
	if loc.Line > 0 {
		return "at " + position(loc)
	}
	return "in " + loc.File
}

// findingText is a finding in full, for a failure's body: where and what,
// then the field, the fix and the documentation.
func findingText(f engine.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s: %s [%s]", position(f.Location), f.Severity, f.Message, f.RuleID)
	if p := f.Path.String(); p != "" {
		fmt.Fprintf(&b, "\npath: %s", p)
	}
	if f.Remediation != "" {
		fmt.Fprintf(&b, "\nremediation: %s", f.Remediation)
	}
	if f.DocURL != "" {
		fmt.Fprintf(&b, "\ndocs: %s", f.DocURL)
	}
	return b.String()
}

// xmlText escapes s as element content. encoding/xml's escaping would write
// every line break and quote as a character reference; a report people
// open should read as text, so only markup characters become entities, a
// carriage return a reference (a parser would drop it), and characters
// XML cannot hold at all U+FFFD.
func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\r':
			b.WriteString("&#xD;")
		case r == '\n', r == '\t', r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
			b.WriteRune(r)
		default:
			b.WriteRune(utf8.RuneError)
		}
	}
	return b.String()
}
