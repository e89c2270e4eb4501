package rules

import (
	"context"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"

	"github.com/kubegate/kubegate/engine"
)

// ignoreAnnotation reports kubegate.io/ignore annotations that name a rule
// kubegate does not know, or no rule at all. The engine suppresses findings
// by the annotation; a misspelt ID suppresses nothing, and this warning
// says why the finding the author meant to silence still fails the run.
type ignoreAnnotation struct {
	// known are the IDs of every rule loaded, run or not: naming a rule
	// that is switched off is not a mistake.
	known []string // sorted
}

// newIgnoreAnnotation returns the rule, checking names against known.
func newIgnoreAnnotation(known []string) ignoreAnnotation {
	ids := slices.Clone(known)
	ids = append(ids, ignoreAnnotationMeta.ID)
	slices.Sort(ids)
	return ignoreAnnotation{known: slices.Compact(ids)}
}

var ignoreAnnotationMeta = engine.Meta{
	ID:    "ignore-annotation",
	Title: "kubegate.io/ignore names rules kubegate knows",
	Description: "The kubegate.io/ignore annotation, on an object or its pod template, lists the IDs of " +
		"rules whose findings on that object are suppressed (reported, marked suppressed, never failing " +
		"the run), separated by commas or spaces; \"*\" stands for every rule, and " +
		"kubegate.io/ignore-reason says why. An ID that is not the ID of a loaded rule (built-in or from " +
		"--policy) suppresses nothing: the finding it was meant for still counts. This rule names the " +
		"unknown ID, and the closest known one, so the typo is found rather than puzzled over. An " +
		"annotation that lists nothing is reported too.",
	Remediation: "Spell the rule ID as `kubegate rules list` prints it, write \"*\" for every rule, or remove the annotation.",
	Severity:    engine.Warning,
	Kinds:       []string{"*"},
	Source:      "go",
	DocURL:      DocURL("ignore-annotation"),
}

// Meta describes the rule.
func (ignoreAnnotation) Meta() engine.Meta { return ignoreAnnotationMeta }

// Check looks at every ignore annotation of the object.
func (r ignoreAnnotation) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	var out []engine.Finding
	for _, ig := range engine.IgnoresOf(obj) {
		if len(ig.Rules) == 0 {
			out = append(out, engine.NewFinding(ignoreAnnotationMeta, ig.Path, "%s names no rule; it suppresses nothing", engine.IgnoreAnnotation))
			continue
		}
		for _, id := range ig.Rules {
			if id == engine.IgnoreAll {
				continue
			}
			if _, ok := slices.BinarySearch(r.known, id); ok {
				continue
			}
			msg := "%s names rule %q, which kubegate does not know; its findings are not suppressed"
			if strings.EqualFold(id, "all") {
				out = append(out, engine.NewFinding(ignoreAnnotationMeta, ig.Path, msg+`; write "*" for every rule`, engine.IgnoreAnnotation, id))
				continue
			}
			if s := r.suggest(id); s != "" {
				out = append(out, engine.NewFinding(ignoreAnnotationMeta, ig.Path, msg+"; did you mean %q?", engine.IgnoreAnnotation, id, s))
				continue
			}
			out = append(out, engine.NewFinding(ignoreAnnotationMeta, ig.Path, msg, engine.IgnoreAnnotation, id))
		}
	}
	return out, nil
}

// suggest returns the known ID closest to id, at most two edits away, or
// "".
func (r ignoreAnnotation) suggest(id string) string {
	best, bestD := "", 3
	for _, k := range r.known { // sorted, so ties go the same way every run
		if d := levenshtein.ComputeDistance(strings.ToLower(id), k); d < bestD {
			best, bestD = k, d
		}
	}
	return best
}
