package engine

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// The kinds the PV controller works with.
var (
	PersistentVolumeKind      = GroupKind{Kind: "PersistentVolume"}
	PersistentVolumeClaimKind = GroupKind{Kind: "PersistentVolumeClaim"}
	StorageClassKind          = GroupKind{Group: "storage.k8s.io", Kind: "StorageClass"}
)

// Annotations and names the PV controller and the DefaultStorageClass
// admission plugin read.
const (
	annDefaultClass     = "storageclass.kubernetes.io/is-default-class"
	annBetaDefaultClass = "storageclass.beta.kubernetes.io/is-default-class"
	annBetaClass        = "volume.beta.kubernetes.io/storage-class"
	noProvisioner       = "kubernetes.io/no-provisioner"
)

// BindingKind says what becomes of a claim.
type BindingKind int

const (
	// BoundToVolume means the claim binds to an existing PersistentVolume.
	BoundToVolume BindingKind = iota
	// Provisioned means no volume fits and a storage class provisions one.
	Provisioned
	// Pending means nothing satisfies the claim; it waits.
	Pending
)

// ClaimBinding is what the PV controller would do with one claim, given
// the objects of the inventory.
type ClaimBinding struct {
	Claim *Object
	Kind  BindingKind
	// Volume is the volume a BoundToVolume claim binds to.
	Volume *Object
	// Class is the claim's storage class after defaulting: what it names,
	// or the default class of the set. "" for a Provisioned claim means
	// the cluster's default class (the set has no StorageClass).
	Class string
	// WaitForConsumer: the class provisions only once a pod uses the claim
	// (volumeBindingMode WaitForFirstConsumer).
	WaitForConsumer bool
	// Reason says why a Pending claim waits, naming the closest volume and
	// the condition it fails when there is one.
	Reason string
	// Certain is set on a Pending claim when the set says enough to be sure
	// nothing in the cluster satisfies it either: the set holds
	// PersistentVolumes or StorageClasses of its own. A claim that names a
	// volume or class the set does not hold may be satisfied by the cluster.
	Certain bool
	// Rival is an earlier claim that binds Contested, the volume this claim
	// matches best: the two race, and the PV controller's order decides.
	Rival, Contested *Object
}

// Outcome completes "this claim ...": "binds volume pv-a", "is
// provisioned via fast", "stays Pending".
func (b ClaimBinding) Outcome() string {
	switch b.Kind {
	case BoundToVolume:
		return "binds volume " + b.Volume.Name
	case Provisioned:
		if b.Class == "" {
			return "is provisioned via the cluster's default class"
		}
		return "is provisioned via " + b.Class
	}
	return "stays Pending"
}

// String says where the claim goes: "volume pv-a", "dynamic via fast",
// "pending: ...".
func (b ClaimBinding) String() string {
	switch b.Kind {
	case BoundToVolume:
		return "volume " + b.Volume.Name
	case Provisioned:
		if b.Class == "" {
			return "dynamic via the cluster's default class"
		}
		if b.WaitForConsumer {
			return "dynamic via " + b.Class + ", once a pod uses it"
		}
		return "dynamic via " + b.Class
	}
	return "pending: " + b.Reason
}

// Bindings is the PV controller's outcome for every claim of an
// inventory.
type Bindings struct {
	claims  []ClaimBinding
	byClaim map[*Object]int
	// DefaultClass is the set's default StorageClass ("" for none).
	DefaultClass string
	// HasClasses says whether the set holds any StorageClass.
	HasClasses bool
}

// Of returns the binding of claim.
func (b *Bindings) Of(claim *Object) (ClaimBinding, bool) {
	i, ok := b.byClaim[claim]
	if !ok {
		return ClaimBinding{}, false
	}
	return b.claims[i], true
}

// All returns every claim's binding, claims in source order.
func (b *Bindings) All() []ClaimBinding { return b.claims }

// deriver is an inventory that memoizes values derived from it.
type deriver interface {
	Derived(key any, compute func() any) any
}

// Derive returns compute's value for inv, computed once per inventory when
// it memoizes (MemInventory does) and on every call otherwise. key names
// the value: an unexported type of the caller's, so callers never collide.
// Cross-object rules use it to build one index per run instead of one per
// object.
func Derive[T any](inv Inventory, key any, compute func() T) T {
	if d, ok := inv.(deriver); ok {
		return d.Derived(key, func() any { return compute() }).(T)
	}
	return compute()
}

type bindingsKey struct{}

// BindingsOf predicts the bindings of inv's claims, once per inventory
// when it memoizes (MemInventory does): rules, reports and the API core
// all ask.
func BindingsOf(inv Inventory) *Bindings {
	if inv == nil {
		return &Bindings{byClaim: map[*Object]int{}}
	}
	return Derive(inv, bindingsKey{}, func() *Bindings { return PredictBindings(inv) })
}

// volume is a PersistentVolume as the matcher sees it.
type volume struct {
	obj      *Object
	pv       *corev1.PersistentVolume
	class    string
	capacity resource.Quantity
	// reservedFor is the claim named by spec.claimRef ("ns/name"), if any.
	reservedFor string
	takenBy     *Object
	// byOrder: takenBy got the volume by coming first, not by naming it
	// (volumeName) or being named by it (claimRef).
	byOrder bool
}

type claim struct {
	obj      *Object
	pvc      *corev1.PersistentVolumeClaim
	key      string // namespace/name
	class    string
	unset    bool // no class written and no default in the set
	explicit bool // storageClassName: "" written
	request  resource.Quantity
	// selector is spec.selector parsed once; nil for none. An invalid one
	// (which the API server rejects) matches nothing.
	selector labels.Selector
}

func claimKey(namespace, name string) string {
	if namespace == "" {
		namespace = DefaultNamespace
	}
	return namespace + "/" + name
}

// PredictBindings simulates the PV controller over inv: claims that name a
// volume bind to it if it satisfies them; claims for which a volume is
// reserved (its claimRef) take that one; every other claim, in source
// order, takes the smallest available volume of its class whose access
// modes, volume mode, labels and capacity satisfy it; a claim no volume
// satisfies is provisioned by its storage class, or waits. Each claim
// scans only the volumes of its class (smallest first, stopping at the
// first free fit) and those reserved for it; only a claim that stays
// Pending looks at every volume, to name the closest.
func PredictBindings(inv Inventory) *Bindings {
	b := &Bindings{byClaim: map[*Object]int{}}
	classes := map[string]*storagev1.StorageClass{}
	var defaults []string
	for _, o := range inv.List(StorageClassKind, "") {
		sc, ok := o.TypedObject().(*storagev1.StorageClass)
		if !ok {
			continue
		}
		b.HasClasses = true
		classes[o.Name] = sc
		if sc.Annotations[annDefaultClass] == "true" || sc.Annotations[annBetaDefaultClass] == "true" {
			defaults = append(defaults, o.Name)
		}
	}
	if len(defaults) > 0 {
		// Several defaults: the admission plugin takes the newest, which
		// manifests do not say; take the first by name, deterministically.
		b.DefaultClass = slices.Min(defaults)
	}

	var vols []*volume
	byName := map[string]*volume{}
	for _, o := range inv.List(PersistentVolumeKind, "") {
		pv, ok := o.TypedObject().(*corev1.PersistentVolume)
		if !ok {
			continue
		}
		v := &volume{obj: o, pv: pv, class: pvClass(pv), capacity: pv.Spec.Capacity[corev1.ResourceStorage]}
		if r := pv.Spec.ClaimRef; r != nil && r.Name != "" {
			v.reservedFor = claimKey(r.Namespace, r.Name)
		}
		vols = append(vols, v)
		if _, dup := byName[o.Name]; !dup {
			byName[o.Name] = v
		}
	}
	// Smallest first, as the controller prefers the smallest volume that
	// fits; by name among equals.
	slices.SortStableFunc(vols, func(x, y *volume) int {
		return cmp.Or(x.capacity.Cmp(y.capacity), cmp.Compare(x.obj.Name, y.obj.Name))
	})
	// A claim only ever binds a volume of its own class, or one reserved
	// for it: indexing both keeps the matching linear in the volumes a
	// claim could take.
	byClass := map[string][]*volume{}
	reserved := map[string][]*volume{}
	for _, v := range vols {
		if v.reservedFor != "" {
			reserved[v.reservedFor] = append(reserved[v.reservedFor], v)
		} else {
			byClass[v.class] = append(byClass[v.class], v)
		}
	}

	var claims []*claim
	for _, o := range inv.All() {
		if o.GroupKind() != PersistentVolumeClaimKind {
			continue
		}
		pvc, ok := o.TypedObject().(*corev1.PersistentVolumeClaim)
		if !ok {
			continue
		}
		c := &claim{obj: o, pvc: pvc, key: claimKey(o.Namespace, o.Name), request: pvc.Spec.Resources.Requests[corev1.ResourceStorage]}
		if sel := pvc.Spec.Selector; sel != nil {
			var err error
			if c.selector, err = metav1.LabelSelectorAsSelector(sel); err != nil {
				c.selector = labels.Nothing()
			}
		}
		switch {
		case pvc.Spec.StorageClassName != nil:
			c.class = *pvc.Spec.StorageClassName
			c.explicit = c.class == ""
		case pvc.Annotations[annBetaClass] != "":
			c.class = pvc.Annotations[annBetaClass]
		case b.DefaultClass != "":
			c.class = b.DefaultClass
		default:
			c.unset = true
		}
		claims = append(claims, c)
		b.byClaim[o] = len(b.claims)
		b.claims = append(b.claims, ClaimBinding{Claim: o, Class: c.class})
	}

	set := func(c *claim, cb ClaimBinding) {
		cb.Claim, cb.Class = c.obj, c.class
		b.claims[b.byClaim[c.obj]] = cb
	}
	done := map[*claim]bool{}

	// Claims that name their volume.
	for _, c := range claims {
		name := c.pvc.Spec.VolumeName
		if name == "" {
			continue
		}
		done[c] = true
		v := byName[name]
		switch {
		case v == nil:
			set(c, ClaimBinding{Kind: Pending, Reason: fmt.Sprintf("volumeName %q names no PersistentVolume in the set", name)})
		case v.reservedFor != "" && v.reservedFor != c.key:
			set(c, ClaimBinding{Kind: Pending, Certain: true, Reason: fmt.Sprintf("volume %s is reserved for claim %s by its claimRef", name, v.reservedFor)})
		case v.takenBy != nil:
			set(c, ClaimBinding{Kind: Pending, Certain: true, Rival: v.takenBy, Reason: fmt.Sprintf("volume %s is bound to claim %s", name, v.takenBy.Name)})
		default:
			if why := mismatch(v, c); why != "" {
				set(c, ClaimBinding{Kind: Pending, Certain: true, Reason: fmt.Sprintf("volume %s does not satisfy it: %s", name, why)})
				continue
			}
			v.takenBy = c.obj
			set(c, ClaimBinding{Kind: BoundToVolume, Volume: v.obj})
		}
	}
	// Volumes reserved for a claim by their claimRef.
	for _, c := range claims {
		if done[c] {
			continue
		}
		for _, v := range reserved[c.key] {
			if v.takenBy == nil && fits(v, c) {
				v.takenBy = c.obj
				done[c] = true
				set(c, ClaimBinding{Kind: BoundToVolume, Volume: v.obj})
				break
			}
		}
	}
	// Every other claim, in source order.
	for _, c := range claims {
		if done[c] {
			continue
		}
		var best, free *volume
		for _, v := range byClass[c.class] {
			if !fits(v, c) {
				continue
			}
			if best == nil {
				best = v
			}
			if v.takenBy == nil {
				free = v
				break
			}
		}
		var rival, contested *Object
		if best != nil && best != free && best.byOrder {
			rival, contested = best.takenBy, best.obj
		}
		if free != nil {
			free.takenBy, free.byOrder = c.obj, true
			set(c, ClaimBinding{Kind: BoundToVolume, Volume: free.obj, Rival: rival, Contested: contested})
			continue
		}
		cb := b.provision(c, classes, vols)
		cb.Rival, cb.Contested = rival, contested
		set(c, cb)
	}
	return b
}

// provision decides a claim no volume satisfies.
func (b *Bindings) provision(c *claim, classes map[string]*storagev1.StorageClass, vols []*volume) ClaimBinding {
	certain := b.HasClasses || len(vols) > 0
	switch {
	case c.class != "":
		sc := classes[c.class]
		switch {
		case sc == nil && b.HasClasses:
			return ClaimBinding{Kind: Pending, Certain: true, Reason: fmt.Sprintf("storage class %q is not in the set (it has %s)%s",
				c.class, strings.Join(slices.Sorted(maps.Keys(classes)), ", "), closest(c, vols))}
		case sc == nil:
			// The cluster's classes are not in the set; assume it has this one.
			return ClaimBinding{Kind: Provisioned}
		case sc.Provisioner == noProvisioner:
			return ClaimBinding{Kind: Pending, Certain: true, Reason: fmt.Sprintf("storage class %q has no provisioner (%s), so only a matching volume can bind it, and none does%s",
				c.class, noProvisioner, closest(c, vols))}
		}
		wait := sc.VolumeBindingMode != nil && *sc.VolumeBindingMode == storagev1.VolumeBindingWaitForFirstConsumer
		return ClaimBinding{Kind: Provisioned, WaitForConsumer: wait}
	case c.unset && !b.HasClasses:
		// No class written and no StorageClass in the set: the cluster's
		// default class, if it has one, provisions it.
		return ClaimBinding{Kind: Provisioned}
	case c.explicit:
		return ClaimBinding{Kind: Pending, Certain: certain, Reason: "storageClassName is \"\", so only a volume without a class can bind it, and none does" + closest(c, vols)}
	}
	return ClaimBinding{Kind: Pending, Certain: certain, Reason: "it names no storage class and no StorageClass in the set is the default, so nothing provisions it, and no volume without a class fits" + closest(c, vols)}
}

// closest names the volume that fails the fewest of a claim's conditions
// and the first condition it fails: "; closest is PersistentVolume pv-a,
// whose storage class is \"slow\", not \"fast\"".
func closest(c *claim, vols []*volume) string {
	var best *volume
	bestFails := 0
	var bestWhy string
	for _, v := range vols {
		fails := failures(v, c)
		if len(fails) == 0 {
			continue
		}
		if best == nil || len(fails) < bestFails || len(fails) == bestFails && v.obj.Name < best.obj.Name {
			best, bestFails, bestWhy = v, len(fails), fails[0]
		}
	}
	if best == nil {
		return ""
	}
	return fmt.Sprintf("; closest is PersistentVolume %s, whose %s", best.obj.Name, bestWhy)
}

// fits reports whether v satisfies c, leaving out whether another claim
// took v: what conditions checks, without building messages, for the
// matching loop.
func fits(v *volume, c *claim) bool {
	return v.class == c.class &&
		!slices.ContainsFunc(c.pvc.Spec.AccessModes, func(m corev1.PersistentVolumeAccessMode) bool { return !slices.Contains(v.pv.Spec.AccessModes, m) }) &&
		v.capacity.Cmp(c.request) >= 0 &&
		volumeMode(v.pv.Spec.VolumeMode) == volumeMode(c.pvc.Spec.VolumeMode) &&
		(c.selector == nil || c.selector.Matches(labels.Set(v.pv.Labels))) &&
		(v.reservedFor == "" || v.reservedFor == c.key)
}

// mismatch is the first condition of the claim that v fails, or "",
// leaving out whether another claim took v.
func mismatch(v *volume, c *claim) string {
	if f := conditions(v, c, false); len(f) > 0 {
		return f[0]
	}
	return ""
}

// failures lists the claim's conditions that v fails, in the order the
// PV controller checks them, each completing "whose ...".
func failures(v *volume, c *claim) []string { return conditions(v, c, true) }

func conditions(v *volume, c *claim, taken bool) []string {
	var out []string
	if v.class != c.class {
		switch {
		case v.class == "":
			out = append(out, fmt.Sprintf("storage class is empty, not %q", c.class))
		case c.class == "":
			out = append(out, fmt.Sprintf("storage class is %q, and the claim has none", v.class))
		default:
			out = append(out, fmt.Sprintf("storage class is %q, not %q", v.class, c.class))
		}
	}
	if missing := missingModes(v.pv.Spec.AccessModes, c.pvc.Spec.AccessModes); len(missing) > 0 {
		out = append(out, fmt.Sprintf("access modes (%s) lack %s", modeList(v.pv.Spec.AccessModes), strings.Join(missing, ", ")))
	}
	if v.capacity.Cmp(c.request) < 0 {
		out = append(out, fmt.Sprintf("capacity %s is less than the %s requested", v.capacity.String(), c.request.String()))
	}
	if vm, cm := volumeMode(v.pv.Spec.VolumeMode), volumeMode(c.pvc.Spec.VolumeMode); vm != cm {
		out = append(out, fmt.Sprintf("volume mode is %s, not %s", vm, cm))
	}
	if c.selector != nil && !c.selector.Matches(labels.Set(v.pv.Labels)) {
		out = append(out, "labels do not match the claim's selector")
	}
	if v.reservedFor != "" && v.reservedFor != c.key {
		out = append(out, fmt.Sprintf("claimRef reserves it for claim %s", v.reservedFor))
	} else if taken && v.takenBy != nil && v.takenBy != c.obj {
		out = append(out, fmt.Sprintf("claim is %s, which binds it first", claimKey(v.takenBy.Namespace, v.takenBy.Name)))
	}
	return out
}

func missingModes(have, want []corev1.PersistentVolumeAccessMode) []string {
	var out []string
	for _, w := range want {
		if !slices.Contains(have, w) {
			out = append(out, string(w))
		}
	}
	return out
}

func modeList(m []corev1.PersistentVolumeAccessMode) string {
	if len(m) == 0 {
		return "none"
	}
	s := make([]string, len(m))
	for i, x := range m {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

func volumeMode(m *corev1.PersistentVolumeMode) corev1.PersistentVolumeMode {
	if m == nil {
		return corev1.PersistentVolumeFilesystem
	}
	return *m
}

func pvClass(pv *corev1.PersistentVolume) string {
	if pv.Spec.StorageClassName != "" {
		return pv.Spec.StorageClassName
	}
	return pv.Annotations[annBetaClass]
}

// derived memoizes values computed from a MemInventory.
type derived struct {
	mu sync.Mutex
	m  map[any]*derivedValue
}

type derivedValue struct {
	once sync.Once
	v    any
}

// Derived returns the value stored under key, computing it once: rules and
// reports that need the same cross-object analysis (the PV bindings) share
// one computation per run.
func (inv *MemInventory) Derived(key any, compute func() any) any {
	inv.derived.mu.Lock()
	if inv.derived.m == nil {
		inv.derived.m = map[any]*derivedValue{}
	}
	d := inv.derived.m[key]
	if d == nil {
		d = &derivedValue{}
		inv.derived.m[key] = d
	}
	inv.derived.mu.Unlock()
	d.once.Do(func() { d.v = compute() })
	return d.v
}
