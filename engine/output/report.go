package output

import "github.com/kubegate/kubegate/engine"

// Report is everything one lint run produced.
type Report struct {
	Findings []engine.Finding
	// Errors are failures, not findings: unreadable or unparsable input,
	// policies that do not compile, rules that failed on an object.
	Errors  []*engine.FileError
	Objects []ObjectSummary
	// Files is the number of files read.
	Files int
	// Rules are the rules that ran, for formats that describe them (SARIF
	// lists them; JUnit and TAP report one test per object and rule that
	// applies to its kind).
	Rules []engine.Meta
	// Version is kubegate's version, for formats that name the tool.
	Version string
}

// ObjectSummary describes one object of the run.
type ObjectSummary struct {
	Source engine.Source
	Ref    engine.ObjectRef
	// QOSClass is the QoS class the kubelet gives the object's pods
	// (Guaranteed, Burstable or BestEffort), empty for objects without a
	// pod template.
	QOSClass string
	// Binding is where a PersistentVolumeClaim goes, as the PV controller
	// would decide (engine.ClaimBinding.String): "volume pv-a", "dynamic
	// via fast", "pending: ...". Empty for other kinds.
	Binding string
}

// Summarize describes objs for the report, with their pods' QoS classes
// and, for claims, their predicted bindings among the objects of inv.
func Summarize(objs []*engine.Object, inv engine.Inventory) []ObjectSummary {
	out := summarize(objs, true)
	bindings := engine.BindingsOf(inv)
	for i, o := range objs {
		if b, ok := bindings.Of(o); ok {
			out[i].Binding = b.String()
		}
	}
	return out
}

// SummarizeBrief is Summarize without the QoS classes, for formats that do
// not print them: working them out decodes every workload, which a run of
// the schema rule alone would otherwise never do.
func SummarizeBrief(objs []*engine.Object) []ObjectSummary {
	return summarize(objs, false)
}

func summarize(objs []*engine.Object, qos bool) []ObjectSummary {
	out := make([]ObjectSummary, 0, len(objs))
	for _, o := range objs {
		s := ObjectSummary{Source: o.Source, Ref: o.Ref()}
		if !qos {
			out = append(out, s)
			continue
		}
		if ref, ok := engine.PodSpecOf(o); ok {
			s.QOSClass = string(engine.QOSClass(ref.Spec))
		}
		out = append(out, s)
	}
	return out
}

// RuleErrors turns rule failures into located errors for the report. Each
// keeps its engine.RuleError, for errors.As.
func RuleErrors(errs []engine.RuleError) []*engine.FileError {
	out := make([]*engine.FileError, 0, len(errs))
	for _, e := range errs {
		out = append(out, &engine.FileError{Location: e.Location, Err: e})
	}
	return out
}

// Counts tallies a report.
type Counts struct {
	Errors, Warnings, Infos, Suppressed int
}

// Count tallies the unsuppressed findings by severity, and the suppressed
// ones apart.
func (r *Report) Count() Counts {
	var c Counts
	for _, f := range r.Findings {
		if f.Suppressed {
			c.Suppressed++
			continue
		}
		switch f.Severity {
		case engine.Error:
			c.Errors++
		case engine.Warning:
			c.Warnings++
		default:
			c.Infos++
		}
	}
	return c
}

// Failing reports whether an unsuppressed finding is at or above failOn.
func (r *Report) Failing(failOn engine.Severity) bool {
	for _, f := range r.Findings {
		if !f.Suppressed && f.Severity >= failOn {
			return true
		}
	}
	return false
}
