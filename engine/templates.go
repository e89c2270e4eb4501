package engine

import (
	"k8s.io/apimachinery/pkg/labels"
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

// PodTemplates indexes the pod templates of an inventory by namespace.
type PodTemplates struct {
	byNamespace map[string][]PodTemplate
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
	pt := &PodTemplates{byNamespace: map[string][]PodTemplate{}}
	for _, o := range inv.All() {
		if _, _, ok := PodPaths(o.Kind); !ok {
			continue
		}
		ref, ok := PodSpecOf(o)
		if !ok {
			continue
		}
		ns := o.EffectiveNamespace()
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
	var out []PodTemplate
	for _, t := range pt.byNamespace[namespace] {
		if sel.Matches(t.Labels) {
			out = append(out, t)
		}
	}
	return out
}

// In returns every template of namespace, in source order.
func (pt *PodTemplates) In(namespace string) []PodTemplate { return pt.byNamespace[namespace] }

// Any reports whether the inventory holds any pod template at all: rules
// that say "selects nothing" stay quiet on runs that hold no workloads.
func (pt *PodTemplates) Any() bool { return len(pt.byNamespace) > 0 }
