package engine

import (
	"cmp"
	"slices"

	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
)

// Inventory is every other object a rule may look at: the files being
// linted, the API core's store, or the webhook's informer cache.
//
// Lookups ignore the version: apps/v1 and apps/v1beta2 Deployments are the
// same resource. A namespace of "" means every namespace for List and Select,
// as in client-go; namespaced objects written without a namespace are found
// under "default".
type Inventory interface {
	Get(gk GroupKind, namespace, name string) (*Object, bool)
	List(gk GroupKind, namespace string) []*Object
	// Select returns the objects of gk in namespace whose labels match sel.
	Select(gk GroupKind, namespace string, sel labels.Selector) []*Object
	// All returns every object in source order.
	All() []*Object
}

type nsName struct{ namespace, name string }

type labelPair struct{ key, value string }

type kindIndex struct {
	byName map[nsName]*Object
	// sorted by namespace, then name, then source order, so List is a
	// binary search plus a slice.
	sorted []*Object
	// byLabel maps key=value to objects (in sorted order) carrying it, so a
	// selector with an equality requirement never scans the whole kind.
	byLabel map[labelPair][]*Object
}

// MemInventory is the Inventory of one lint run, built once and read
// concurrently by every rule.
type MemInventory struct {
	all     []*Object
	kinds   map[GroupKind]*kindIndex
	derived derived
}

// NewInventory indexes objs. Building costs O(n log n); Get is O(1), List
// O(log n + k) and Select O(log n + k) in the matches of its most selective
// equality requirement. When two objects share a kind, namespace and name,
// Get returns the first one in source order.
func NewInventory(objs []*Object) *MemInventory {
	inv := &MemInventory{all: objs, kinds: map[GroupKind]*kindIndex{}}
	for _, o := range objs {
		gk := o.GroupKind()
		ki := inv.kinds[gk]
		if ki == nil {
			ki = &kindIndex{byName: map[nsName]*Object{}, byLabel: map[labelPair][]*Object{}}
			inv.kinds[gk] = ki
		}
		key := nsName{o.EffectiveNamespace(), o.Name}
		if _, dup := ki.byName[key]; !dup {
			ki.byName[key] = o
		}
		ki.sorted = append(ki.sorted, o)
	}
	for _, ki := range inv.kinds {
		// Stable, so objects with equal keys keep source order.
		slices.SortStableFunc(ki.sorted, func(a, b *Object) int {
			return cmp.Or(cmp.Compare(a.EffectiveNamespace(), b.EffectiveNamespace()), cmp.Compare(a.Name, b.Name))
		})
		for _, o := range ki.sorted {
			for k, v := range o.Labels {
				lp := labelPair{k, v}
				ki.byLabel[lp] = append(ki.byLabel[lp], o)
			}
		}
	}
	return inv
}

// Get returns the object of gk with that namespace and name.
func (inv *MemInventory) Get(gk GroupKind, namespace, name string) (*Object, bool) {
	ki := inv.kinds[gk]
	if ki == nil {
		return nil, false
	}
	if namespace == "" && !IsClusterScoped(gk) {
		namespace = DefaultNamespace
	}
	o, ok := ki.byName[nsName{namespace, name}]
	return o, ok
}

// List returns the objects of gk in namespace ("" for all), ordered by
// namespace and name.
func (inv *MemInventory) List(gk GroupKind, namespace string) []*Object {
	ki := inv.kinds[gk]
	if ki == nil {
		return nil
	}
	if namespace == "" {
		return ki.sorted
	}
	return nsRange(ki.sorted, namespace)
}

// Select returns the objects of gk in namespace ("" for all) whose labels
// match sel. A nil selector selects nothing, as in apimachinery.
func (inv *MemInventory) Select(gk GroupKind, namespace string, sel labels.Selector) []*Object {
	ki := inv.kinds[gk]
	if ki == nil || sel == nil {
		return nil
	}
	candidates := inv.List(gk, namespace)
	if reqs, selectable := sel.Requirements(); selectable {
		for _, r := range reqs {
			if r.Operator() != selection.Equals && r.Operator() != selection.DoubleEquals && r.Operator() != selection.In {
				continue
			}
			if r.Values().Len() != 1 {
				continue
			}
			posting := ki.byLabel[labelPair{r.Key(), r.Values().List()[0]}]
			if namespace != "" {
				posting = nsRange(posting, namespace)
			}
			if len(posting) < len(candidates) {
				candidates = posting
			}
		}
	}
	var out []*Object
	for _, o := range candidates {
		if sel.Matches(labels.Set(o.Labels)) {
			out = append(out, o)
		}
	}
	return out
}

// All returns every object in the order they were given.
func (inv *MemInventory) All() []*Object { return inv.all }

// nsRange returns the sub-slice of objs (sorted by effective namespace) in
// namespace.
func nsRange(objs []*Object, namespace string) []*Object {
	lo, _ := slices.BinarySearchFunc(objs, namespace, func(o *Object, ns string) int {
		return cmp.Compare(o.EffectiveNamespace(), ns)
	})
	hi := lo
	for hi < len(objs) && objs[hi].EffectiveNamespace() == namespace {
		hi++
	}
	return objs[lo:hi]
}
