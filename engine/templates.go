package engine

import (
	"slices"

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
)

// PodTemplate is one pod template of the run: a Pod, or the template of a
// workload, a Job, a CronJob or a PodTemplate object. Services, network
// policies and disruption budgets select these labels, not the labels of
// the workload object itself.
type PodTemplate struct {
	Owner  *Object
	Ref    PodSpecRef
	Labels labels.Set
}

// PodTemplates indexes the pod templates of an inventory by namespace and,
// within a namespace, by label, so that a selector looks at the templates
// carrying one of the labels it requires rather than at all of them: every
// Service of a namespace scanning every workload would make a run
// quadratic.
type PodTemplates struct {
	byNamespace map[string][]PodTemplate
	// byLabel maps namespace, then label key and value, to the indexes in
	// byNamespace of the templates carrying that label, ascending.
	byLabel map[string]map[labelPair][]int
}

type podTemplatesKey struct{}

// PodTemplatesOf indexes inv's pod templates, once per inventory when it
// memoizes (MemInventory does), so that every Service, NetworkPolicy and
// PodDisruptionBudget of a run looks up the templates of its namespace
// instead of scanning the whole run.
func PodTemplatesOf(inv Inventory) *PodTemplates {
	if inv == nil {
		return &PodTemplates{}
	}
	return Derive(inv, podTemplatesKey{}, func() *PodTemplates { return indexTemplates(inv) })
}

func indexTemplates(inv Inventory) *PodTemplates {
	pt := &PodTemplates{byNamespace: map[string][]PodTemplate{}, byLabel: map[string]map[labelPair][]int{}}
	for _, o := range inv.All() {
		if _, _, ok := PodPaths(o.Kind); !ok {
			continue
		}
		ref, ok := PodSpecOf(o)
		if !ok {
			continue
		}
		ns := o.EffectiveNamespace()
		idx := pt.byLabel[ns]
		if idx == nil {
			idx = map[labelPair][]int{}
			pt.byLabel[ns] = idx
		}
		i := len(pt.byNamespace[ns])
		for k, v := range ref.Meta.Labels {
			idx[labelPair{k, v}] = append(idx[labelPair{k, v}], i)
		}
		pt.byNamespace[ns] = append(pt.byNamespace[ns], PodTemplate{Owner: o, Ref: ref, Labels: labels.Set(ref.Meta.Labels)})
	}
	return pt
}

// Select returns the templates of namespace whose labels sel matches, in
// source order. A nil selector selects nothing.
func (pt *PodTemplates) Select(namespace string, sel labels.Selector) []PodTemplate {
	if sel == nil {
		return nil
	}
	all := pt.byNamespace[namespace]
	var out []PodTemplate
	if cand, ok := pt.candidates(namespace, sel); ok {
		for _, i := range cand {
			if sel.Matches(all[i].Labels) {
				out = append(out, all[i])
			}
		}
		return out
	}
	for _, t := range all {
		if sel.Matches(t.Labels) {
			out = append(out, t)
		}
	}
	return out
}

// candidates returns the indexes, ascending, of the templates of namespace
// that can match sel: those carrying a label of the requirement with the
// fewest such templates, among the requirements that name values (key=v
// and key in (a, b)). ok is false when sel has no such requirement (only
// exists, does-not-exist, != and notin), and every template is a
// candidate.
func (pt *PodTemplates) candidates(namespace string, sel labels.Selector) (cand []int, ok bool) {
	reqs, selectable := sel.Requirements()
	if !selectable {
		return nil, false
	}
	idx := pt.byLabel[namespace]
	for _, r := range reqs {
		switch r.Operator() {
		case selection.Equals, selection.DoubleEquals, selection.In:
		default:
			continue
		}
		var these []int
		for v := range r.Values() {
			these = append(these, idx[labelPair{r.Key(), v}]...)
		}
		if !ok || len(these) < len(cand) {
			cand, ok = these, true
		}
	}
	if ok && len(cand) > 1 {
		// Several values give several ascending lists; a template carries
		// one value per key, so they never share an index.
		slices.Sort(cand)
	}
	return cand, ok
}

// In returns every template of namespace, in source order.
func (pt *PodTemplates) In(namespace string) []PodTemplate { return pt.byNamespace[namespace] }

// Any reports whether the inventory holds any pod template at all: rules
// that say "selects nothing" stay quiet on runs that hold no workloads.
func (pt *PodTemplates) Any() bool { return len(pt.byNamespace) > 0 }
