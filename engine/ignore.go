package engine

import (
	"slices"
	"strings"
)

// Ignore annotations let a manifest exempt one object from named rules:
//
//	metadata:
//	  annotations:
//	    kubegate.io/ignore: "run-as-non-root, read-only-root-filesystem"
//	    kubegate.io/ignore-reason: "the vendor image writes to /var/run"
//
// The findings stay in the report, marked suppressed, so an exemption is
// visible in every format and reviewable; they just never fail a run.
const (
	// IgnoreAnnotation lists the IDs of the rules whose findings on the
	// object are suppressed, separated by commas or white space. IgnoreAll
	// ("*") stands for every rule.
	IgnoreAnnotation = "kubegate.io/ignore"
	// IgnoreReasonAnnotation says why; it becomes Suppression.Reason.
	IgnoreReasonAnnotation = "kubegate.io/ignore-reason"
	// IgnoreAll in an IgnoreAnnotation suppresses every rule.
	IgnoreAll = "*"
)

// Ignore is what one metadata block's ignore annotations say: the object's
// own metadata, or its pod template's.
type Ignore struct {
	// Path is the field path of the kubegate.io/ignore annotation, for
	// findings about the annotation itself.
	Path Path
	// Rules are the rule IDs named, in order, without duplicates; IgnoreAll
	// stays as it is.
	Rules []string
	// Reason is the kubegate.io/ignore-reason of the same metadata block.
	Reason string
}

// Covers reports whether the annotation names ruleID, or IgnoreAll.
func (ig Ignore) Covers(ruleID string) bool {
	return slices.Contains(ig.Rules, ruleID) || slices.Contains(ig.Rules, IgnoreAll)
}

// ParseIgnoreList splits the value of a kubegate.io/ignore annotation into
// rule IDs. Commas and white space both separate, since rule IDs hold
// neither and people write "a, b", "a,b" and "a b"; empty items (a trailing
// comma) are dropped, and so are repeats.
func ParseIgnoreList(value string) []string {
	var out []string
	for _, id := range strings.FieldsFunc(value, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r'
	}) {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// IgnoresOf returns the ignore annotations of obj: those of its own
// metadata, then those of its pod template (spec.template.metadata for
// workloads and Jobs, spec.jobTemplate.spec.template.metadata for CronJobs,
// template.metadata for a PodTemplate). It reads Raw, so it works on any
// object and never decodes the typed one. A block without a
// kubegate.io/ignore annotation gives nothing, whatever its reason says.
func IgnoresOf(obj *Object) []Ignore {
	var out []Ignore
	metaPath := NewPath("metadata")
	if ig, ok := ignoreAt(obj.Raw, metaPath); ok {
		out = append(out, ig)
	}
	if _, tmpl, ok := PodPaths(obj.Kind); ok && obj.Kind != "Pod" {
		if ig, ok := ignoreAt(obj.Raw, tmpl); ok {
			out = append(out, ig)
		}
	}
	return out
}

// ignoreAt reads the ignore annotations of the metadata mapping at path.
// Values that are not strings are left to the schema rule, which reports
// them.
func ignoreAt(raw map[string]any, metadata Path) (Ignore, bool) {
	var v any = raw
	for _, e := range metadata {
		m, ok := v.(map[string]any)
		if !ok {
			return Ignore{}, false
		}
		v = m[e.Key]
	}
	md, _ := v.(map[string]any)
	ann, _ := md["annotations"].(map[string]any)
	value, ok := ann[IgnoreAnnotation].(string)
	if !ok {
		return Ignore{}, false
	}
	reason, _ := ann[IgnoreReasonAnnotation].(string)
	return Ignore{
		Path:   metadata.Child("annotations", IgnoreAnnotation),
		Rules:  ParseIgnoreList(value),
		Reason: strings.TrimSpace(reason),
	}, true
}

// Suppressor decides whether a finding on obj is suppressed by something
// other than the object's annotations, such as an exemption in a
// configuration file, and why; nil means it is not. It sees only findings
// no annotation suppressed.
type Suppressor func(obj *Object, f *Finding) *Suppression

// WithIgnoreAnnotations turns the kubegate.io/ignore annotations on or off;
// they are on by default. Off, every finding counts whatever the manifest
// says, so a team cannot exempt itself where a gate (a CI job, an
// admission webhook) must hold.
func WithIgnoreAnnotations(on bool) Option {
	return func(e *Engine) { e.noIgnore = !on }
}

// WithSuppressor adds s, consulted for every finding no annotation
// suppressed. The front doors share the engine's ignore handling and add
// their own exemptions this way.
func WithSuppressor(s Suppressor) Option {
	return func(e *Engine) {
		if s != nil {
			e.suppressors = append(e.suppressors, s)
		}
	}
}

// suppress marks the findings on obj that an ignore annotation or a
// suppressor covers. Annotations are read only for objects that have
// findings, so a clean run pays nothing for them.
func (e *Engine) suppress(obj *Object, fs []Finding) {
	if len(fs) == 0 {
		return
	}
	var ignores []Ignore
	if !e.noIgnore {
		ignores = IgnoresOf(obj)
	}
	for i := range fs {
		f := &fs[i]
		for _, ig := range ignores {
			if ig.Covers(f.RuleID) {
				f.Suppressed, f.Suppression = true, &Suppression{Kind: SuppressedByAnnotation, Reason: ig.Reason}
				break
			}
		}
		for _, s := range e.suppressors {
			if f.Suppressed {
				break
			}
			if sup := s(obj, f); sup != nil {
				f.Suppressed, f.Suppression = true, sup
			}
		}
	}
}
