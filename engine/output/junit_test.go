package output_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/output"
)

// junitDoc is JUnit XML as a reader sees it.
type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Skipped  int `xml:"skipped,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Name     string `xml:"name,attr"`
			Failures []struct {
				Type string `xml:"type,attr"`
				Text string `xml:",chardata"`
			} `xml:"failure"`
			Error   *struct{} `xml:"error"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// junitSummary reads a JUnit report back into one line per test case,
// checking that every count attribute adds up.
func junitSummary(t *testing.T, data []byte) []string {
	t.Helper()
	var doc junitDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, data)
	}
	var out []string
	var total [4]int
	for _, s := range doc.Suites {
		var n [4]int // tests, failures, errors, skipped
		for _, c := range s.Cases {
			n[0]++
			status := "pass"
			switch {
			case c.Error != nil:
				n[2]++
				status = "error"
			case len(c.Failures) > 0:
				n[1]++
				var types []string
				for _, f := range c.Failures {
					types = append(types, f.Type)
				}
				status = "fail " + strings.Join(types, ",")
			case c.Skipped != nil:
				n[3]++
				status = "skip " + c.Skipped.Message
			}
			out = append(out, s.Name+" | "+c.Name+" | "+status)
		}
		if got := [4]int{s.Tests, s.Failures, s.Errors, s.Skipped}; got != n {
			t.Errorf("suite %s counts tests, failures, errors, skipped as %v; its cases make %v", s.Name, got, n)
		}
		for i := range total {
			total[i] += n[i]
		}
	}
	if got := [4]int{doc.Tests, doc.Failures, doc.Errors, doc.Skipped}; got != total {
		t.Errorf("testsuites counts %v; its suites make %v", got, total)
	}
	return out
}

func TestJUnitCases(t *testing.T) {
	deploy := engine.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "ns", Name: "web"}
	pod := engine.ObjectRef{APIVersion: "v1", Kind: "Pod", Name: "p"}
	r := &output.Report{
		Objects: []output.ObjectSummary{
			{Source: engine.Source{File: "b.yaml", Line: 1}, Ref: deploy},
			// The same object twice in one file: findings go to the copy
			// they are in.
			{Source: engine.Source{File: "a.yaml", Line: 1}, Ref: pod},
			{Source: engine.Source{File: "a.yaml", Line: 10}, Ref: pod},
		},
		Rules: []engine.Meta{
			{ID: "pods-only", Kinds: []string{"core/Pod"}},
			{ID: "everything"},
			{ID: "workloads", Kinds: []string{"apps/*"}},
		},
		Findings: []engine.Finding{
			{RuleID: "everything", Severity: engine.Error, Object: pod, Location: engine.Location{File: "a.yaml", Line: 12, Column: 3}, Message: "second copy"},
			{RuleID: "everything", Severity: engine.Info, Object: pod, Location: engine.Location{File: "a.yaml", Line: 12, Column: 3}, Message: "suppressed next to a failure", Suppressed: true},
			{RuleID: "pods-only", Severity: engine.Warning, Object: pod, Location: engine.Location{File: "a.yaml", Line: 2, Column: 3}, Message: "first copy", Suppressed: true},
			{RuleID: "pods-only", Severity: engine.Warning, Object: pod, Location: engine.Location{File: "a.yaml", Line: 3, Column: 3}, Message: "first copy again", Suppressed: true,
				Suppression: &engine.Suppression{Kind: engine.SuppressedByAnnotation, Reason: "known"}},
			{RuleID: "not-listed", Severity: engine.Warning, Object: deploy, Location: engine.Location{File: "b.yaml", Line: 5, Column: 1}, Message: "a rule the report does not list"},
			{RuleID: "everything", Severity: engine.Warning, Object: engine.ObjectRef{Kind: "Secret", Name: "s"}, Location: engine.Location{File: "c.yaml", Line: 3, Column: 1}, Message: "an object the report does not list"},
		},
		Errors: append(
			output.RuleErrors([]engine.RuleError{{RuleID: "workloads", Object: deploy, Location: engine.Location{File: "b.yaml", Line: 1, Column: 1}, Err: errors.New("boom")}}),
			&engine.FileError{Location: engine.Location{File: "a.yaml", Line: 20, Column: 1}, Err: errors.New("bad document")},
		),
	}
	var b bytes.Buffer
	if err := output.WriteJUnit(&b, r); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"a.yaml | everything Pod/p | pass",
		"a.yaml | pods-only Pod/p | skip suppressed; suppressed by annotation: known",
		"a.yaml | everything Pod/p | fail error",
		"a.yaml | pods-only Pod/p | pass",
		"a.yaml | input error at a.yaml:20:1 | error",
		"b.yaml | everything Deployment/ns/web | pass",
		"b.yaml | not-listed Deployment/ns/web | fail warning",
		"b.yaml | workloads Deployment/ns/web | error",
		"c.yaml | everything Secret/s | fail warning",
	}
	if diff := cmp.Diff(want, junitSummary(t, b.Bytes())); diff != "" {
		t.Errorf("test cases (-want +got):\n%s", diff)
	}
}

func TestJUnitGoldenCounts(t *testing.T) {
	var b bytes.Buffer
	r := report(t)
	if err := output.WriteJUnit(&b, r); err != nil {
		t.Fatal(err)
	}
	cases := junitSummary(t, b.Bytes())
	// A failing case has one <failure>, which lists every unsuppressed
	// finding of the case, each from its position on.
	findings := 0
	var doc junitDoc
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	at := regexp.MustCompile(`^app\.yaml:\d+:\d+: `)
	each := regexp.MustCompile(`(?m)^app\.yaml:\d+:\d+: `)
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if len(c.Failures) > 1 {
				t.Errorf("case %q has %d <failure> elements; reporters show only the first", c.Name, len(c.Failures))
			}
			for _, f := range c.Failures {
				findings += len(each.FindAllString(f.Text, -1))
				if !at.MatchString(f.Text) {
					t.Errorf("failure text %q does not start with file:line:col", f.Text)
				}
			}
		}
	}
	c := r.Count()
	if want := c.Errors + c.Warnings + c.Infos; findings != want {
		t.Errorf("the failures list %d findings; the report has %d unsuppressed", findings, want)
	}
	// name-check applies to all three objects, storage-check to the
	// Deployment and the claim; each input error is a case too.
	if want := 3 + 2 + len(r.Errors); len(cases) != want {
		t.Errorf("%d test cases, want %d: %v", len(cases), want, cases)
	}
}

func TestTAPPlanMatchesPoints(t *testing.T) {
	for _, r := range []*output.Report{report(t), {}} {
		var b bytes.Buffer
		if err := output.WriteTAP(&b, r); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(b.String(), "\n")
		if lines[0] != "TAP version 14" {
			t.Fatalf("first line %q", lines[0])
		}
		plan, err := strconv.Atoi(strings.TrimPrefix(strings.Fields(lines[1])[0], "1.."))
		if err != nil {
			t.Fatalf("plan line %q: %v", lines[1], err)
		}
		points := 0
		for _, l := range lines[2:] {
			if strings.HasPrefix(l, "ok ") || strings.HasPrefix(l, "not ok ") {
				points++
				if want := fmt.Sprintf(" %d ", points); !strings.Contains(l, want) {
					t.Errorf("test point %q is not number %d", l, points)
				}
			}
			if strings.HasPrefix(l, "Bail out!") {
				t.Errorf("bailed out: %q", l)
			}
		}
		if points != plan {
			t.Errorf("plan 1..%d, %d test points", plan, points)
		}
	}
}

func TestTAPEscapes(t *testing.T) {
	r := &output.Report{Errors: []*engine.FileError{{Location: engine.Location{File: `dir#1\x.yaml`, Line: 1, Column: 2}, Err: errors.New("bad")}}}
	var b bytes.Buffer
	if err := output.WriteTAP(&b, r); err != nil {
		t.Fatal(err)
	}
	if want := `not ok 1 - input error at dir\#1\\x.yaml:1:2`; !strings.Contains(b.String(), want+"\n") {
		t.Errorf("got\n%s\nwant a line %q", b.String(), want)
	}
}

func TestJUnitEscapes(t *testing.T) {
	msg := "a <b> & \"c\" ]]>\x01\r\nd"
	r := &output.Report{Findings: []engine.Finding{{RuleID: "r", Severity: engine.Warning, Message: msg,
		Object: engine.ObjectRef{Kind: "Pod", Name: "p&q"}, Location: engine.Location{File: "a<b>.yaml", Line: 1, Column: 1}}}}
	var b bytes.Buffer
	if err := output.WriteJUnit(&b, r); err != nil {
		t.Fatal(err)
	}
	var doc junitDoc
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("not XML: %v\n%s", err, b.String())
	}
	c := doc.Suites[0].Cases[0]
	if want := "a <b> & \"c\" ]]>\uFFFD\r\nd"; !strings.Contains(c.Failures[0].Text, want) || doc.Suites[0].Name != "a<b>.yaml" || c.Name != "r Pod/p&q" {
		t.Errorf("read back suite %q, case %q, failure %q; want the message %q", doc.Suites[0].Name, c.Name, c.Failures[0].Text, want)
	}
}
