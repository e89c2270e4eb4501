package output_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/output"
)

// sarifSchemaID is the $id the OASIS schema file declares; the compiler
// finds it under that name, so nothing is fetched.
const sarifSchemaID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// sarifSchema compiles the official SARIF 2.1.0 schema kept in testdata
// (see testdata/README.md).
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(sarifSchemaID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(sarifSchemaID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sarifLog is the part of a SARIF log the code-scanning checks read.
type sarifLog struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID               string `json:"id"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
					Help struct {
						Text string `json:"text"`
					} `json:"help"`
					Properties struct {
						Tags []string `json:"tags"`
					} `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful bool              `json:"executionSuccessful"`
			Notifications       []json.RawMessage `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Results []struct {
			RuleID    string `json:"ruleId"`
			RuleIndex int    `json:"ruleIndex"`
			Message   struct {
				Text string `json:"text"`
			} `json:"message"`
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct {
						URI string `json:"uri"`
					} `json:"artifactLocation"`
					Region struct {
						StartLine, StartColumn, EndLine, EndColumn int
					} `json:"region"`
				} `json:"physicalLocation"`
			} `json:"locations"`
			PartialFingerprints map[string]string `json:"partialFingerprints"`
			Suppressions        []struct {
				Kind          string `json:"kind"`
				Justification string `json:"justification"`
			} `json:"suppressions"`
		} `json:"results"`
	} `json:"runs"`
}

// validateSARIF checks a SARIF log against the official schema and against
// what GitHub code scanning requires beyond it: one run; every result with
// a ruleId that its ruleIndex names, a message, one location with a
// relative URI and a region that starts on a line and does not end before
// it starts; rule descriptions within 1,024 characters, at most 20 tags;
// fingerprints unique.
func validateSARIF(t *testing.T, name string, data []byte) sarifLog {
	t.Helper()
	var doc any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if err := sarifSchema(t).Validate(doc); err != nil {
		t.Fatalf("%s does not validate against the SARIF 2.1.0 schema: %#v", name, err)
	}
	var log sarifLog
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%s: %d runs, want 1", name, len(log.Runs))
	}
	run := log.Runs[0]
	for _, r := range run.Tool.Driver.Rules {
		for what, s := range map[string]string{"shortDescription": r.ShortDescription.Text, "fullDescription": r.FullDescription.Text, "help": r.Help.Text} {
			if s == "" || utf8.RuneCountInString(s) > 1024 && what != "help" {
				t.Errorf("%s: rule %s: %s has %d characters", name, r.ID, what, utf8.RuneCountInString(s))
			}
		}
		if len(r.Properties.Tags) > 20 {
			t.Errorf("%s: rule %s has %d tags", name, r.ID, len(r.Properties.Tags))
		}
	}
	fingerprints := map[string]bool{}
	for i, res := range run.Results {
		rules := run.Tool.Driver.Rules
		if res.RuleIndex < 0 || res.RuleIndex >= len(rules) || rules[res.RuleIndex].ID != res.RuleID || res.RuleID == "" {
			t.Errorf("%s: result %d: ruleId %q, ruleIndex %d does not name it", name, i, res.RuleID, res.RuleIndex)
		}
		if res.Message.Text == "" {
			t.Errorf("%s: result %d has no message", name, i)
		}
		if len(res.Locations) != 1 {
			t.Errorf("%s: result %d has %d locations, want 1", name, i, len(res.Locations))
			continue
		}
		pl := res.Locations[0].PhysicalLocation
		if uri := pl.ArtifactLocation.URI; uri == "" || strings.Contains(uri, ":/") || strings.HasPrefix(uri, "/") || strings.Contains(uri, `\`) {
			t.Errorf("%s: result %d: uri %q is not a relative reference with forward slashes", name, i, uri)
		}
		reg := pl.Region
		if reg.StartLine < 1 || reg.EndLine != 0 && (reg.EndLine < reg.StartLine || reg.EndLine == reg.StartLine && reg.EndColumn < reg.StartColumn) {
			t.Errorf("%s: result %d: region %+v", name, i, reg)
		}
		for _, fp := range res.PartialFingerprints {
			if fingerprints[fp] {
				t.Errorf("%s: result %d: fingerprint %s repeats", name, i, fp)
			}
			fingerprints[fp] = true
		}
	}
	return log
}

func TestSARIFValidates(t *testing.T) {
	golden, err := os.ReadFile(filepath.Join("testdata", "report.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	validateSARIF(t, "report.sarif", golden)

	twice := report(t)
	twice.Findings = append(twice.Findings, twice.Findings...) // repeated findings get their own fingerprints
	tests := []struct {
		name string
		r    *output.Report
		opts output.SARIFOptions
	}{
		{name: "sample without a source root", r: report(t)},
		{name: "repeated findings", r: twice},
		{name: "empty run", r: &output.Report{}},
		{name: "odd file names, stdin and a rule error", opts: output.SARIFOptions{SrcRoot: "/repo"}, r: &output.Report{
			Findings: []engine.Finding{
				{RuleID: "r", Severity: engine.Error, Message: "m", Location: engine.Location{File: "dir with space/a#b%c.yaml", Line: 2, Column: 3, EndLine: 4, EndColumn: 1}},
				{RuleID: "r", Severity: engine.Info, Message: "m", Location: engine.Location{File: "a:b.yaml", Line: 1, Column: 1}},
				{RuleID: "r", Severity: engine.Warning, Message: "m", Location: engine.Location{File: "/repo/sub/ü.yaml", Line: 1, Column: 1}},
				{RuleID: "s", Severity: engine.Warning, Message: "m", Location: engine.Location{File: "<stdin>", Line: 1, Column: 1}, Suppressed: true},
				{RuleID: "s", Severity: engine.Warning, Message: "m", Location: engine.Location{File: "./x/../y.yaml", Line: 7, Column: 5, EndLine: 7, EndColumn: 2}},
			},
			Errors: output.RuleErrors([]engine.RuleError{{RuleID: "r", Object: engine.ObjectRef{Kind: "Pod", Name: "p"}, Location: engine.Location{File: "/elsewhere/p.yaml", Line: 1, Column: 1}, Err: errors.New("boom")}}),
			Rules:  []engine.Meta{{ID: "r", Title: strings.Repeat("long ", 400), Severity: engine.Error, Disabled: true}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := output.WriteSARIF(&b, tt.r, tt.opts); err != nil {
				t.Fatal(err)
			}
			validateSARIF(t, tt.name, b.Bytes())
			var again bytes.Buffer
			if err := output.WriteSARIF(&again, tt.r, tt.opts); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b.Bytes(), again.Bytes()) {
				t.Error("two writes of one report differ")
			}
		})
	}
}

func TestSARIFLocationsAndSuppressions(t *testing.T) {
	r := &output.Report{
		Findings: []engine.Finding{
			{RuleID: "r", Message: "spaces", Location: engine.Location{File: "dir with space/a#b%c.yaml", Line: 2, Column: 3, EndLine: 4, EndColumn: 1}},
			{RuleID: "r", Message: "colon", Location: engine.Location{File: "a:b.yaml", Line: 1, Column: 1}},
			{RuleID: "r", Message: "under the root", Location: engine.Location{File: "/repo/sub/ü.yaml", Line: 1, Column: 1}},
			{RuleID: "r", Message: "outside the root", Location: engine.Location{File: "/elsewhere/x.yaml", Line: 1, Column: 1}},
			{RuleID: "r", Message: "stdin", Location: engine.Location{File: "<stdin>", Line: 1, Column: 1}},
			{RuleID: "r", Message: "cleaned", Location: engine.Location{File: "./x/../y.yaml", Line: 7, Column: 5, EndLine: 7, EndColumn: 2}},
			{RuleID: "r", Message: "annotation", Location: engine.Location{File: "a.yaml", Line: 1, Column: 1}, Suppressed: true,
				Suppression: &engine.Suppression{Kind: engine.SuppressedByAnnotation, Reason: "why"}},
			{RuleID: "r", Message: "config", Location: engine.Location{File: "a.yaml", Line: 1, Column: 1}, Suppressed: true,
				Suppression: &engine.Suppression{Kind: engine.SuppressedByConfig}},
		},
	}
	var b bytes.Buffer
	if err := output.WriteSARIF(&b, r, output.SARIFOptions{SrcRoot: "/repo"}); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string
							URIBaseID string `json:"uriBaseId"`
						}
						Region map[string]int
					}
				}
				Suppressions []map[string]string
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	type row struct {
		URI, Base    string
		Region       map[string]int
		Suppressions []map[string]string
	}
	got := map[string]row{}
	for _, res := range log.Runs[0].Results {
		pl := res.Locations[0].PhysicalLocation
		got[res.Message.Text] = row{URI: pl.ArtifactLocation.URI, Base: pl.ArtifactLocation.URIBaseID, Region: pl.Region, Suppressions: res.Suppressions}
	}
	start := map[string]int{"startLine": 1, "startColumn": 1}
	want := map[string]row{
		"spaces":           {URI: "dir%20with%20space/a%23b%25c.yaml", Base: "%SRCROOT%", Region: map[string]int{"startLine": 2, "startColumn": 3, "endLine": 4, "endColumn": 1}},
		"colon":            {URI: "./a:b.yaml", Base: "%SRCROOT%", Region: start},
		"under the root":   {URI: "sub/%C3%BC.yaml", Base: "%SRCROOT%", Region: start},
		"outside the root": {URI: "file:///elsewhere/x.yaml", Region: start},
		"stdin":            {URI: "stdin", Region: start},
		// An end before the start is dropped, not written.
		"cleaned":    {URI: "y.yaml", Base: "%SRCROOT%", Region: map[string]int{"startLine": 7, "startColumn": 5}},
		"annotation": {URI: "a.yaml", Base: "%SRCROOT%", Region: start, Suppressions: []map[string]string{{"kind": "inSource", "status": "accepted", "justification": "why"}}},
		"config":     {URI: "a.yaml", Base: "%SRCROOT%", Region: start, Suppressions: []map[string]string{{"kind": "external", "status": "accepted"}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("locations (-want +got):\n%s", diff)
	}
}

// TestSARIFSchemaRejects: the schema test can fail. Each broken copy of the
// golden report breaks one rule of the SARIF 2.1.0 schema.
func TestSARIFSchemaRejects(t *testing.T) {
	golden, err := os.ReadFile(filepath.Join("testdata", "report.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		breakIt func(log map[string]any)
	}{
		{name: "unknown level", breakIt: func(log map[string]any) { firstResult(t, log)["level"] = "fatal" }},
		{name: "line zero", breakIt: func(log map[string]any) {
			loc := firstResult(t, log)["locations"].([]any)[0].(map[string]any)
			loc["physicalLocation"].(map[string]any)["region"].(map[string]any)["startLine"] = 0
		}},
		{name: "no version", breakIt: func(log map[string]any) { delete(log, "version") }},
		{name: "result without a message", breakIt: func(log map[string]any) { delete(firstResult(t, log), "message") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log map[string]any
			if err := json.Unmarshal(golden, &log); err != nil {
				t.Fatal(err)
			}
			tt.breakIt(log)
			if err := sarifSchema(t).Validate(log); err == nil {
				t.Error("the broken report validates")
			}
		})
	}
}

func firstResult(t *testing.T, log map[string]any) map[string]any {
	t.Helper()
	runs, _ := log["runs"].([]any)
	if len(runs) == 0 {
		t.Fatal("the golden report has no run")
	}
	results, _ := runs[0].(map[string]any)["results"].([]any)
	if len(results) == 0 {
		t.Fatal("the golden report has no result")
	}
	return results[0].(map[string]any)
}
