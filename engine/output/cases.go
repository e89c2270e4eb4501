package output

import (
	"cmp"
	"errors"
	"slices"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubegate/kubegate/engine"
)

// testCase is one object checked by one rule, as the test-report formats
// (JUnit, TAP) present a lint run: it passed, failed (its unsuppressed
// findings), was skipped (all its findings were suppressed) or errored
// (the rule failed on the object). An input error that belongs to no
// object is a test case of its own, with no rule.
type testCase struct {
	file   string
	object *engine.ObjectRef // nil for an input error
	line   int               // where the object (or the error) is
	rule   string
	// findings are the unsuppressed findings, suppressed the others.
	findings, suppressed []engine.Finding
	err                  *engine.FileError
}

// status is what a test case comes to.
type status int

const (
	passed status = iota
	failed
	skipped
	errored
)

func (c *testCase) status() status {
	switch {
	case c.err != nil:
		return errored
	case len(c.findings) > 0:
		return failed
	case len(c.suppressed) > 0:
		return skipped
	}
	return passed
}

// testSuite is the test cases of one input file.
type testSuite struct {
	file  string
	cases []*testCase
}

// testSuites arranges a report as test suites, one per file, ordered by
// file name. A file's cases come object by object in input order, each
// object's by rule ID, then the file's input errors by position. An
// object's cases are the rules that apply to its kind (Report.Rules) and
// any other rule that reported on it.
func testSuites(r *Report) []testSuite {
	type objectKey struct {
		file string
		ref  engine.ObjectRef
	}
	type caseKey struct {
		object int // index in r.Objects, or -1 - index of an unknown object
		rule   string
	}
	suites := map[string]*testSuite{}
	suite := func(file string) *testSuite {
		s, ok := suites[file]
		if !ok {
			s = &testSuite{file: file}
			suites[file] = s
		}
		return s
	}
	// perObject holds each object's cases until they are sorted into its
	// file's suite.
	perObject := make([][]*testCase, len(r.Objects))
	cases := map[caseKey]*testCase{}
	byRef := map[objectKey][]int{}
	for i, o := range r.Objects {
		ref := o.Ref
		byRef[objectKey{o.Source.File, ref}] = append(byRef[objectKey{o.Source.File, ref}], i)
		suite(o.Source.File)
		gvk := schema.FromAPIVersionAndKind(ref.APIVersion, ref.Kind)
		for _, m := range r.Rules {
			k := caseKey{i, m.ID}
			if _, dup := cases[k]; dup || !m.MatchesKind(gvk) {
				continue
			}
			c := &testCase{file: o.Source.File, object: &ref, line: o.Source.Line, rule: m.ID}
			cases[k] = c
			perObject[i] = append(perObject[i], c)
		}
	}

	// objectOf is the object a finding or rule error at loc is about: the
	// last one of that name in the file that starts at or before loc (a
	// file may hold the same object twice), or -1.
	objectOf := func(ref engine.ObjectRef, loc engine.Location) int {
		idx := byRef[objectKey{loc.File, ref}]
		found := -1
		for _, i := range idx {
			if found < 0 || r.Objects[i].Source.Line <= loc.Line {
				found = i
			}
		}
		return found
	}
	var unknown []*testCase // cases of objects the report does not list
	caseOf := func(ref engine.ObjectRef, loc engine.Location, rule string) *testCase {
		i := objectOf(ref, loc)
		if i >= 0 {
			k := caseKey{i, rule}
			if c, ok := cases[k]; ok {
				return c
			}
			o := r.Objects[i]
			c := &testCase{file: o.Source.File, object: &o.Ref, line: o.Source.Line, rule: rule}
			cases[k] = c
			perObject[i] = append(perObject[i], c)
			return c
		}
		for _, c := range unknown {
			if c.file == loc.File && *c.object == ref && c.rule == rule {
				return c
			}
		}
		c := &testCase{file: loc.File, object: &ref, line: loc.Line, rule: rule}
		unknown = append(unknown, c)
		return c
	}

	for _, f := range r.Findings {
		c := caseOf(f.Object, f.Location, f.RuleID)
		if f.Suppressed {
			c.suppressed = append(c.suppressed, f)
		} else {
			c.findings = append(c.findings, f)
		}
	}
	var inputErrors []*testCase
	for _, e := range r.Errors {
		if re, ok := errors.AsType[engine.RuleError](e); ok {
			c := caseOf(re.Object, e.Location, re.RuleID)
			if c.err == nil {
				c.err = e
			}
			continue
		}
		inputErrors = append(inputErrors, &testCase{file: e.File, line: e.Line, err: e})
	}

	for i, cs := range perObject {
		slices.SortStableFunc(cs, func(a, b *testCase) int { return cmp.Compare(a.rule, b.rule) })
		s := suite(r.Objects[i].Source.File)
		s.cases = append(s.cases, cs...)
	}
	slices.SortStableFunc(unknown, func(a, b *testCase) int {
		return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(objectName(*a.object), objectName(*b.object)), cmp.Compare(a.rule, b.rule))
	})
	for _, c := range unknown {
		s := suite(c.file)
		s.cases = append(s.cases, c)
	}
	slices.SortStableFunc(inputErrors, func(a, b *testCase) int {
		return cmp.Or(cmp.Compare(a.line, b.line), cmp.Compare(a.err.Column, b.err.Column))
	})
	for _, c := range inputErrors {
		s := suite(c.file)
		s.cases = append(s.cases, c)
	}

	out := make([]testSuite, 0, len(suites))
	for _, s := range suites {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b testSuite) int { return cmp.Compare(a.file, b.file) })
	return out
}

// caseCounts tallies test cases by status.
type caseCounts struct {
	tests, failures, errors, skipped int
}

func (c *caseCounts) add(tc *testCase) {
	c.tests++
	switch tc.status() {
	case failed:
		c.failures++
	case errored:
		c.errors++
	case skipped:
		c.skipped++
	}
}

// suppressionText says why a finding was suppressed, for the skip
// messages.
func suppressionText(f engine.Finding) string {
	s := f.Suppression
	if s == nil {
		return "suppressed"
	}
	by := "suppressed by " + s.Kind
	switch s.Kind {
	case engine.SuppressedByAnnotation:
		by = "suppressed by annotation"
	case engine.SuppressedByConfig:
		by = "suppressed by configuration"
	}
	if s.Reason != "" {
		by += ": " + s.Reason
	}
	return by
}
