package rules

import (
	"context"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubegate/kubegate/engine"
)

// labelsAnnotations reports label and annotation keys and values the API
// server rejects, on the object and on the pod and claim templates it
// carries.
type labelsAnnotations struct{}

var labelsAnnotationsMeta = engine.Meta{
	ID:    "labels-annotations",
	Title: "Label and annotation keys and values are valid",
	Description: "Label and annotation keys are qualified names: an optional DNS subdomain prefix of at " +
		"most 253 characters and a slash, then a name of at most 63 characters of letters, digits, '-', '_' " +
		"and '.', starting and ending with a letter or digit. Label values follow the same 63-character name " +
		"rule and may be empty. All annotations of an object together may hold at most 256 KiB. The API " +
		"server checks the object's own metadata and that of the pod templates and volume claim templates " +
		"inside it, so a bad label in a Deployment's template is rejected with the Deployment.",
	Remediation: "Shorten or respell the key or value; put long or free-form data in an annotation, not a label.",
	Severity:    engine.Error,
	Kinds:       []string{"*"},
	Source:      "go",
	DocURL:      DocURL("labels-annotations"),
}

// totalAnnotationSize is the API server's TotalAnnotationSizeLimitB.
const totalAnnotationSize = 256 * 1024

// Meta describes the rule.
func (labelsAnnotations) Meta() engine.Meta { return labelsAnnotationsMeta }

// Check validates every metadata block of the object.
func (labelsAnnotations) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	var out []engine.Finding
	for _, md := range metadataBlocks(obj) {
		out = append(out, checkLabels(md)...)
		out = append(out, checkAnnotations(md)...)
	}
	return out, nil
}

// metadataBlocks returns the object's metadata and, for built-in kinds,
// the metadata of its pod template and volume claim templates.
func metadataBlocks(obj *engine.Object) []rawNode {
	out := []rawNode{{Value: rawMap(obj.Raw, "metadata"), Path: engine.NewPath("metadata")}}
	if _, tmpl, ok := engine.PodPaths(obj.Kind); ok && obj.Kind != "Pod" {
		v, _ := rawAt(obj.Raw, tmpl)
		if m, ok := v.(map[string]any); ok {
			out = append(out, rawNode{Value: m, Path: tmpl})
		}
	}
	if obj.Kind == "CronJob" {
		if m := rawMap(obj.Raw, "spec", "jobTemplate", "metadata"); m != nil {
			out = append(out, rawNode{Value: m, Path: engine.NewPath("spec", "jobTemplate", "metadata")})
		}
	}
	if obj.Kind == "StatefulSet" {
		for i, t := range rawList(obj.Raw, "spec", "volumeClaimTemplates") {
			if m := rawMap(t, "metadata"); m != nil {
				out = append(out, rawNode{Value: m, Path: engine.NewPath("spec", "volumeClaimTemplates", i, "metadata")})
			}
		}
	}
	return out
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func checkLabels(md rawNode) []engine.Finding {
	labels := rawMap(md.Value, "labels")
	var out []engine.Finding
	for _, k := range sortedKeys(labels) {
		at := md.Path.Child("labels", k)
		if errs := validation.IsQualifiedName(k); len(errs) > 0 {
			out = append(out, engine.NewFinding(labelsAnnotationsMeta, at,
				"label key %q is not a qualified name: %s", k, strings.Join(errs, "; ")))
		}
		if v, ok := labels[k].(string); ok {
			if errs := validation.IsValidLabelValue(v); len(errs) > 0 {
				out = append(out, engine.NewFinding(labelsAnnotationsMeta, at,
					"label %s has an invalid value %s: %s", k, shortQuote(v), strings.Join(errs, "; ")))
			}
		}
	}
	return out
}

func checkAnnotations(md rawNode) []engine.Finding {
	ann := rawMap(md.Value, "annotations")
	var out []engine.Finding
	total := 0
	for _, k := range sortedKeys(ann) {
		v, _ := ann[k].(string)
		total += len(k) + len(v)
		if errs := validation.IsQualifiedName(strings.ToLower(k)); len(errs) > 0 {
			out = append(out, engine.NewFinding(labelsAnnotationsMeta, md.Path.Child("annotations", k),
				"annotation key %q is not a qualified name: %s", k, strings.Join(errs, "; ")))
		}
	}
	if total > totalAnnotationSize {
		out = append(out, engine.NewFinding(labelsAnnotationsMeta, md.Path.Child("annotations"),
			"annotations hold %d bytes; the API server allows at most %d (256 KiB) in all", total, totalAnnotationSize))
	}
	return out
}

// shortQuote quotes s, cut to a readable length.
func shortQuote(s string) string {
	if len(s) > 70 {
		return quote(s[:67] + "...")
	}
	return quote(s)
}
