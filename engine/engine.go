package engine

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
)

// RuleError is a rule that failed on an object: a failure, not a finding.
type RuleError struct {
	RuleID   string
	Object   ObjectRef
	Location Location
	Err      error
}

func (e RuleError) Error() string {
	return fmt.Sprintf("run rule %s on %s/%s: %v", e.RuleID, e.Object.Kind, e.Object.Name, e.Err)
}

func (e RuleError) Unwrap() error { return e.Err }

// Result is what one run produced.
type Result struct {
	Findings []Finding
	Errors   []RuleError
}

// Engine evaluates a fixed set of rules. It is safe for concurrent use.
type Engine struct {
	rules    []Rule
	metas    []Meta
	workers  int
	severity map[string]Severity
	// noIgnore turns the kubegate.io/ignore annotations off.
	noIgnore    bool
	suppressors []Suppressor
	// byKind caches, per group/version/kind, the indexes of the rules that
	// apply to it: matching every rule's kind patterns against every
	// object costs more than many rules' checks.
	byKind sync.Map // GVK -> []int
}

// Option configures an Engine.
type Option func(*Engine)

// WithWorkers bounds how many objects are checked at once; the default is
// GOMAXPROCS, since rules are CPU-bound.
func WithWorkers(n int) Option {
	return func(e *Engine) {
		if n > 0 {
			e.workers = n
		}
	}
}

// WithSeverityOverrides replaces the severity of every finding of the named
// rules.
func WithSeverityOverrides(m map[string]Severity) Option {
	return func(e *Engine) { e.severity = m }
}

// New returns an engine over rules, which are evaluated in the given order.
// It runs every rule it is given, Meta.Disabled ones included: choosing the
// rules (defaults, --enable, --disable, config) is the caller's job.
func New(rules []Rule, opts ...Option) *Engine {
	e := &Engine{rules: rules, workers: runtime.GOMAXPROCS(0)}
	for _, r := range rules {
		e.metas = append(e.metas, r.Meta())
	}
	for _, o := range opts {
		o(e)
	}
	return e
}

// Rules returns the rules the engine runs.
func (e *Engine) Rules() []Rule { return e.rules }

// Run checks every object with every rule that applies to its kind, using
// inv (NewInventory(objs) when nil) for cross-object lookups. Findings come
// back ordered by file, line, column, rule and message, whatever the
// scheduling, so output is deterministic. Findings that an ignore
// annotation (WithIgnoreAnnotations) or a suppressor (WithSuppressor) covers
// are kept, marked Suppressed. Run stops early only when ctx is cancelled.
func (e *Engine) Run(ctx context.Context, objs []*Object, inv Inventory) (Result, error) {
	if inv == nil {
		inv = NewInventory(objs)
	}
	for _, r := range e.rules {
		if p, ok := r.(RunPreparer); ok {
			if err := p.PrepareRun(ctx, inv); err != nil {
				return Result{}, fmt.Errorf("prepare rule %s: %w", r.Meta().ID, err)
			}
		}
	}

	perObject := make([]Result, len(objs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(e.workers, max(len(objs), 1)) {
		wg.Go(func() {
			for i := range next {
				perObject[i] = e.checkObject(ctx, objs[i], inv)
				objs[i].dropCached()
			}
		})
	}
feed:
	for i := range objs {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return Result{}, fmt.Errorf("run rules: %w", err)
	}

	var res Result
	for _, r := range perObject {
		res.Findings = append(res.Findings, r.Findings...)
		res.Errors = append(res.Errors, r.Errors...)
	}
	SortFindings(res.Findings)
	slices.SortFunc(res.Errors, func(a, b RuleError) int {
		return cmp.Or(compareLocation(a.Location, b.Location), cmp.Compare(a.RuleID, b.RuleID))
	})
	return res, nil
}

func (e *Engine) checkObject(ctx context.Context, obj *Object, inv Inventory) Result {
	var res Result
	for _, i := range e.rulesFor(obj.GVK) {
		r, m := e.rules[i], e.metas[i]
		fs, err := check(ctx, r, obj, inv)
		if err != nil {
			res.Errors = append(res.Errors, RuleError{RuleID: m.ID, Object: obj.Ref(), Location: obj.Locate(nil), Err: err})
			continue
		}
		for _, f := range fs {
			if f.RuleID == "" {
				f.RuleID = m.ID
			}
			if sev, ok := e.severity[f.RuleID]; ok {
				f.Severity = sev
			}
			if f.Remediation == "" {
				f.Remediation = m.Remediation
			}
			if f.DocURL == "" {
				f.DocURL = m.DocURL
			}
			f.Object = obj.Ref()
			if f.Location.Line == 0 {
				f.Location = obj.Locate(f.Path)
			}
			res.Findings = append(res.Findings, f)
		}
	}
	e.suppress(obj, res.Findings)
	return res
}

// rulesFor returns the indexes, in order, of the rules whose kinds match
// gvk.
func (e *Engine) rulesFor(gvk GVK) []int {
	if v, ok := e.byKind.Load(gvk); ok {
		return v.([]int)
	}
	var idx []int
	for i, m := range e.metas {
		if m.MatchesKind(gvk) {
			idx = append(idx, i)
		}
	}
	v, _ := e.byKind.LoadOrStore(gvk, idx)
	return v.([]int)
}

// check runs one rule, turning a panic into an error so that one broken rule
// cannot take down a webhook or a lint run.
func check(ctx context.Context, r Rule, obj *Object, inv Inventory) (fs []Finding, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("rule panicked: %v", p)
		}
	}()
	return r.Check(ctx, obj, inv)
}

// SortFindings orders findings by file, line, column, rule and message.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			compareLocation(a.Location, b.Location),
			cmp.Compare(a.RuleID, b.RuleID),
			cmp.Compare(a.Message, b.Message),
		)
	})
}

func compareLocation(a, b Location) int {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
}
