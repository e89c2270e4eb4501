package output

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kubegate/kubegate/engine"
)

// SARIFOptions configure the SARIF format.
type SARIFOptions struct {
	// SrcRoot is the absolute directory that relative file names are
	// relative to (the working directory of a lint run). When set, it is
	// recorded as the %SRCROOT% base of every relative artifact URI, and
	// absolute file names under it become relative to it, as code
	// scanning wants them. "" records no base.
	SrcRoot string
}

// SARIF 2.1.0 (OASIS), as GitHub code scanning, GitLab, Azure DevOps and
// the editors' SARIF viewers read it.
const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	srcRoot      = "%SRCROOT%"
	// fingerprintKey names kubegate's own partial fingerprint; the
	// version lets its recipe change without matching old alerts wrongly.
	fingerprintKey = "kubegateFinding/v1"
	// maxDescription is GitHub code scanning's limit on a rule's short and
	// full descriptions, which it rejects past (its documentation says
	// 1,024 characters; a margin keeps clear of how it counts).
	maxDescription = 1000
	// stdinURI names standard input, which has no file: a relative URI
	// like any other, described as what it is.
	stdinURI = "stdin"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	// OriginalURIBaseIDs says what %SRCROOT% is.
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult                    `json:"results"`
	// ColumnKind says columns count Unicode code points, as kubegate's do
	// (SARIF's default is UTF-16 code units).
	ColumnKind string `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	ShortDescription     sarifMessage       `json:"shortDescription"`
	FullDescription      sarifMessage       `json:"fullDescription"`
	Help                 sarifMultiformat   `json:"help"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifMultiformat struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
	// Enabled is false for rules that are off unless enabled by name;
	// omitted (SARIF's default, true) otherwise.
	Enabled *bool `json:"enabled,omitempty"`
}

type sarifRuleProps struct {
	Tags []string `json:"tags"`
	// Precision "very-high": the rules check what the manifest says, they
	// do not guess; code scanning sorts and filters alerts by it.
	Precision string `json:"precision"`
	// ProblemSeverity is the severity code scanning shows for alerts that
	// carry no security-severity: error, warning or recommendation.
	ProblemSeverity string `json:"problem.severity"`
	// Kinds are the kind patterns the rule applies to (Meta.Kinds).
	Kinds []string `json:"kinds,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          *sarifResultProps  `json:"properties,omitempty"`
}

type sarifResultProps struct {
	// Path is the field the finding is about.
	Path string `json:"path"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysicalLocation `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI         string        `json:"uri"`
	URIBaseID   string        `json:"uriBaseId,omitempty"`
	Description *sarifMessage `json:"description,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifLogicalLocation struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	// Kind "resource": a Kubernetes object is an API resource.
	Kind string `json:"kind"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level          string              `json:"level"`
	Message        sarifMessage        `json:"message"`
	Locations      []sarifLocation     `json:"locations,omitempty"`
	AssociatedRule *sarifRuleReference `json:"associatedRule,omitempty"`
}

type sarifRuleReference struct {
	ID    string `json:"id"`
	Index *int   `json:"index,omitempty"`
}

// WriteSARIF writes the report as one SARIF 2.1.0 log with one run:
//
//   - tool.driver.rules describes every rule that ran (and any other rule
//     a finding names), with its help text and documentation URL;
//   - results holds every finding, suppressed ones too, marked with a
//     suppression ("inSource" for a kubegate.io/ignore annotation,
//     "external" for the configuration file) that code scanning shows as
//     dismissed; each result's region runs from the field's key to the end
//     of its value, and its logical location names the object;
//   - input and rule errors are the invocation's tool execution
//     notifications, and make executionSuccessful false.
//
// The output follows the report's order and is the same for the same
// report.
func WriteSARIF(w io.Writer, r *Report, opts SARIFOptions) error {
	uris := sarifURIs{root: opts.SrcRoot}
	rules, index := sarifRules(r)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "kubegate",
			Version:        r.Version,
			InformationURI: "https://github.com/kubegate/kubegate",
			Rules:          rules,
		}},
		Invocations: []sarifInvocation{{ExecutionSuccessful: len(r.Errors) == 0}},
		Results:     make([]sarifResult, 0, len(r.Findings)),
		ColumnKind:  "unicodeCodePoints",
	}
	if opts.SrcRoot != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLocation{srcRoot: {URI: fileURI(opts.SrcRoot, true)}}
	}

	seen := map[string]int{} // fingerprints so far, to number repeats
	for _, f := range r.Findings {
		res := sarifResult{
			RuleID:    f.RuleID,
			RuleIndex: index[f.RuleID],
			Level:     sarifLevel(f.Severity),
			Message:   sarifMessage{Text: f.Message},
		}
		loc := sarifLocation{PhysicalLocation: uris.physical(f.Location)}
		if f.Object.Kind != "" {
			loc.LogicalLocations = []sarifLogicalLocation{{
				Name:               f.Object.Name,
				FullyQualifiedName: objectName(f.Object),
				Kind:               "resource",
			}}
		}
		if loc.PhysicalLocation != nil || loc.LogicalLocations != nil {
			res.Locations = []sarifLocation{loc}
		}
		fp := fingerprint(f, uris.uri(f.Location.File))
		seen[fp]++
		res.PartialFingerprints = map[string]string{fingerprintKey: fp + ":" + strconv.Itoa(seen[fp])}
		if f.Suppressed {
			res.Suppressions = []sarifSuppression{sarifSuppressionOf(f.Suppression)}
		}
		if p := f.Path.String(); p != "" {
			res.Properties = &sarifResultProps{Path: p}
		}
		run.Results = append(run.Results, res)
	}

	for _, e := range r.Errors {
		n := sarifNotification{Level: "error", Message: sarifMessage{Text: e.Err.Error()}}
		if pl := uris.physical(e.Location); pl != nil {
			n.Locations = []sarifLocation{{PhysicalLocation: pl}}
		}
		if re, ok := errors.AsType[engine.RuleError](e); ok {
			n.AssociatedRule = &sarifRuleReference{ID: re.RuleID}
			if i, ok := index[re.RuleID]; ok {
				n.AssociatedRule.Index = &i
			}
		}
		run.Invocations[0].ToolExecutionNotifications = append(run.Invocations[0].ToolExecutionNotifications, n)
	}

	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}); err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	return nil
}

// sarifRules describes the rules that ran and any other rule a finding or
// a rule error names, ordered by ID, and returns each one's index.
func sarifRules(r *Report) ([]sarifRule, map[string]int) {
	metas := map[string]engine.Meta{}
	for _, m := range r.Rules {
		if _, dup := metas[m.ID]; !dup {
			metas[m.ID] = m
		}
	}
	for _, f := range r.Findings {
		if _, ok := metas[f.RuleID]; !ok {
			// A rule the report does not describe: what its findings say.
			metas[f.RuleID] = engine.Meta{ID: f.RuleID, Severity: f.Severity, Remediation: f.Remediation, DocURL: f.DocURL}
		}
	}
	ids := make([]string, 0, len(metas))
	for id := range metas {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	rules := make([]sarifRule, 0, len(ids))
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		index[id] = i
		rules = append(rules, sarifRuleOf(metas[id]))
	}
	return rules, index
}

func sarifRuleOf(m engine.Meta) sarifRule {
	short := cmp.Or(m.Title, m.ID)
	full := cmp.Or(m.Description, short)
	text, md := full, full
	if m.Remediation != "" {
		text += "\n\nRemediation: " + m.Remediation
		md += "\n\n**Remediation:** " + m.Remediation
	}
	if m.DocURL != "" {
		text += "\n\nDocumentation: " + m.DocURL
		md += "\n\n[Documentation](" + m.DocURL + ")"
	}
	rule := sarifRule{
		ID:                   m.ID,
		Name:                 ruleName(m.ID),
		ShortDescription:     sarifMessage{Text: clip(short, maxDescription)},
		FullDescription:      sarifMessage{Text: clip(full, maxDescription)},
		Help:                 sarifMultiformat{Text: text, Markdown: md},
		HelpURI:              m.DocURL,
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(m.Severity)},
		Properties: sarifRuleProps{
			Tags:            []string{"kubernetes"},
			Precision:       "very-high",
			ProblemSeverity: problemSeverity(m.Severity),
			Kinds:           m.Kinds,
		},
	}
	if m.Disabled {
		off := false
		rule.DefaultConfiguration.Enabled = &off
	}
	return rule
}

// ruleName is a rule's SARIF name: its ID in PascalCase, the form SARIF
// suggests ("probe-success-threshold" is ProbeSuccessThreshold).
func ruleName(id string) string {
	var b strings.Builder
	up := true
	for _, c := range id {
		switch {
		case c == '-' || c == '_' || c == '.' || c == '/' || unicode.IsSpace(c):
			up = true
		case up:
			b.WriteRune(unicode.ToUpper(c))
			up = false
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// clip cuts s to at most n characters, marking the cut.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func sarifLevel(s engine.Severity) string {
	switch s {
	case engine.Error:
		return "error"
	case engine.Warning:
		return "warning"
	default:
		return "note"
	}
}

func problemSeverity(s engine.Severity) string {
	switch s {
	case engine.Error:
		return "error"
	case engine.Warning:
		return "warning"
	default:
		return "recommendation"
	}
}

// sarifSuppressionOf says why a suppressed finding is: an annotation sits
// in the manifest itself (inSource); the configuration file is outside it
// (external), as is anything that suppressed a finding without saying how.
func sarifSuppressionOf(s *engine.Suppression) sarifSuppression {
	out := sarifSuppression{Kind: "external", Status: "accepted"}
	if s == nil {
		return out
	}
	if s.Kind == engine.SuppressedByAnnotation {
		out.Kind = "inSource"
	}
	out.Justification = s.Reason
	return out
}

// fingerprint identifies a finding across runs whatever lines move: its
// rule, file, object, field and message. Code scanning matches alerts by
// it (with its own line hash).
func fingerprint(f engine.Finding, uri string) string {
	h := sha256.New()
	for _, s := range []string{f.RuleID, uri, f.Object.APIVersion, f.Object.Kind, f.Object.Namespace, f.Object.Name, f.Path.String(), f.Message} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	// 128 bits is plenty to tell findings apart.
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// sarifURIs turns file names into artifact URIs.
type sarifURIs struct {
	root string
}

// physical is the physical location of loc, or nil when it names no file.
func (u sarifURIs) physical(loc engine.Location) *sarifPhysicalLocation {
	if loc.File == "" {
		return nil
	}
	pl := &sarifPhysicalLocation{ArtifactLocation: u.artifact(loc.File)}
	if loc.Line > 0 {
		pl.Region = &sarifRegion{StartLine: loc.Line, StartColumn: loc.Column}
		// An end before the start would make the region invalid; a
		// locator that knows no end leaves both 0.
		if loc.EndLine > loc.Line || loc.EndLine == loc.Line && loc.EndColumn >= loc.Column && loc.Column > 0 {
			pl.Region.EndLine, pl.Region.EndColumn = loc.EndLine, loc.EndColumn
		}
	}
	return pl
}

func (u sarifURIs) artifact(file string) sarifArtifactLocation {
	if file == "<stdin>" {
		return sarifArtifactLocation{URI: stdinURI, Description: &sarifMessage{Text: "standard input"}}
	}
	uri := u.uri(file)
	if strings.HasPrefix(uri, "file:") || u.root == "" {
		return sarifArtifactLocation{URI: uri}
	}
	return sarifArtifactLocation{URI: uri, URIBaseID: srcRoot}
}

// uri is the URI reference of a file name: relative names (and absolute
// ones under the source root) as relative references with forward
// slashes, each segment percent-encoded; other absolute names as file
// URIs.
func (u sarifURIs) uri(file string) string {
	if file == "<stdin>" {
		return stdinURI
	}
	if filepath.IsAbs(file) {
		rel, err := filepath.Rel(u.root, file)
		if u.root == "" || err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return fileURI(file, false)
		}
		file = rel
	}
	p := path.Clean(filepath.ToSlash(file))
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	ref := strings.Join(segs, "/")
	// A colon in the first segment would read as a URI scheme.
	if first, _, _ := strings.Cut(ref, "/"); strings.Contains(first, ":") {
		ref = "./" + ref
	}
	return ref
}

// fileURI is the file URI of an absolute path, ending in "/" for a
// directory (a base URI must).
func fileURI(abs string, dir bool) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive: file:///C:/...
	}
	if dir && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// objectName names an object the way the report formats do:
// Kind/namespace/name, or Kind/name when it sets no namespace.
func objectName(o engine.ObjectRef) string {
	if o.Namespace == "" {
		return o.Kind + "/" + o.Name
	}
	return o.Kind + "/" + o.Namespace + "/" + o.Name
}
