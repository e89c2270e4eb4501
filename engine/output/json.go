package output

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/kubegate/kubegate/engine"
)

// The JSON report is a stable contract (docs/output.md): fields are only
// ever added. These types fix its shape and key order.
type jsonReport struct {
	Findings []jsonFinding `json:"findings"`
	Errors   []jsonError   `json:"errors"`
	Objects  []jsonObject  `json:"objects"`
	Summary  jsonSummary   `json:"summary"`
}

type jsonFinding struct {
	Rule        string     `json:"rule"`
	Severity    string     `json:"severity"`
	Message     string     `json:"message"`
	File        string     `json:"file"`
	Line        int        `json:"line"`
	Column      int        `json:"column"`
	EndLine     int        `json:"endLine,omitempty"`
	EndColumn   int        `json:"endColumn,omitempty"`
	Path        string     `json:"path"`
	Object      jsonObjRef `json:"object"`
	Remediation string     `json:"remediation"`
	DocURL      string     `json:"docURL,omitempty"`
	Suppressed  bool       `json:"suppressed"`
	// Suppression says what suppressed the finding and why; left out when
	// it is not suppressed.
	Suppression *engine.Suppression `json:"suppression,omitempty"`
}

type jsonObjRef struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace"`
	Name       string `json:"name"`
}

type jsonError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type jsonObject struct {
	File       string `json:"file"`
	Line       int    `json:"line"`
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace"`
	Name       string `json:"name"`
	QOSClass   string `json:"qosClass"`
	Binding    string `json:"binding,omitempty"`
}

type jsonSummary struct {
	Objects     int `json:"objects"`
	Files       int `json:"files"`
	Errors      int `json:"errors"`
	Warnings    int `json:"warnings"`
	Infos       int `json:"infos"`
	Suppressed  int `json:"suppressed"`
	InputErrors int `json:"inputErrors"`
}

// WriteJSON writes the report as indented JSON. Lists are never null.
func WriteJSON(w io.Writer, r *Report) error {
	out := jsonReport{
		Findings: make([]jsonFinding, 0, len(r.Findings)),
		Errors:   make([]jsonError, 0, len(r.Errors)),
		Objects:  make([]jsonObject, 0, len(r.Objects)),
	}
	for _, f := range r.Findings {
		out.Findings = append(out.Findings, jsonFinding{
			Rule: f.RuleID, Severity: f.Severity.String(), Message: f.Message,
			File: f.Location.File, Line: f.Location.Line, Column: f.Location.Column,
			EndLine: f.Location.EndLine, EndColumn: f.Location.EndColumn,
			Path:        f.Path.String(),
			Object:      jsonObjRef(f.Object),
			Remediation: f.Remediation, DocURL: f.DocURL, Suppressed: f.Suppressed,
			Suppression: f.Suppression,
		})
	}
	for _, e := range r.Errors {
		out.Errors = append(out.Errors, jsonError{File: e.File, Line: e.Line, Column: e.Column, Message: e.Err.Error()})
	}
	for _, o := range r.Objects {
		out.Objects = append(out.Objects, jsonObject{
			File: o.Source.File, Line: o.Source.Line,
			APIVersion: o.Ref.APIVersion, Kind: o.Ref.Kind, Namespace: o.Ref.Namespace, Name: o.Ref.Name,
			QOSClass: o.QOSClass, Binding: o.Binding,
		})
	}
	c := r.Count()
	out.Summary = jsonSummary{
		Objects: len(r.Objects), Files: r.Files,
		Errors: c.Errors, Warnings: c.Warnings, Infos: c.Infos, Suppressed: c.Suppressed,
		InputErrors: len(r.Errors),
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}
