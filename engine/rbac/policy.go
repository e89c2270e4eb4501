package rbac

import (
	"cmp"
	"slices"

	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubegate/kubegate/engine"
)

// The kinds of RBAC objects.
const (
	KindRole               = "Role"
	KindClusterRole        = "ClusterRole"
	KindRoleBinding        = "RoleBinding"
	KindClusterRoleBinding = "ClusterRoleBinding"
)

// Role is a Role or ClusterRole, from the set or built in.
type Role struct {
	Kind      string
	Namespace string // "" for a ClusterRole
	Name      string
	Labels    map[string]string
	// Rules are the rules as written; Policy.Rules adds aggregation.
	Rules       []rbacv1.PolicyRule
	Aggregation *rbacv1.AggregationRule
	// Object is the manifest the role came from; nil for a built-in one.
	Object *engine.Object
}

// Builtin reports whether the kube-apiserver creates the role itself.
func (r *Role) Builtin() bool { return r.Object == nil }

// Binding is a RoleBinding or ClusterRoleBinding, from the set or built in.
type Binding struct {
	Kind      string
	Namespace string // "" for a ClusterRoleBinding
	Name      string
	RoleRef   rbacv1.RoleRef
	Subjects  []rbacv1.Subject
	// Object is the manifest the binding came from; nil for a built-in one.
	Object *engine.Object
}

// Builtin reports whether the kube-apiserver creates the binding itself.
func (b *Binding) Builtin() bool { return b.Object == nil }

// Options choose what a Policy holds besides the set.
type Options struct {
	// BuiltinBindings adds the bindings every kube-apiserver creates
	// (system:masters to cluster-admin, the controllers' service
	// accounts, discovery for everyone). Built-in roles are always there:
	// bindings of the set refer to them.
	BuiltinBindings bool
}

// Policy is the RBAC policy of a set of objects.
type Policy struct {
	clusterRoles map[string]*Role
	roles        map[[2]string]*Role
	bindings     []*Binding
	// effective holds the aggregated rules of aggregated ClusterRoles.
	effective map[*Role][]rbacv1.PolicyRule
}

var (
	roleGK               = engine.GroupKind{Group: rbacv1.GroupName, Kind: KindRole}
	clusterRoleGK        = engine.GroupKind{Group: rbacv1.GroupName, Kind: KindClusterRole}
	roleBindingGK        = engine.GroupKind{Group: rbacv1.GroupName, Kind: KindRoleBinding}
	clusterRoleBindingGK = engine.GroupKind{Group: rbacv1.GroupName, Kind: KindClusterRoleBinding}
)

type policyKey struct{ opts Options }

// PolicyOf returns the policy of inv, built once per inventory when it
// memoizes (MemInventory does): every binding rule asks for it.
func PolicyOf(inv engine.Inventory, opts Options) *Policy {
	return engine.Derive(inv, policyKey{opts}, func() *Policy { return Build(inv, opts) })
}

// Build resolves the RBAC objects of inv (rbac.authorization.k8s.io/v1;
// older versions are no longer served) over the built-in policy. A role of
// the set replaces the built-in one of the same name, as applying it
// would.
func Build(inv engine.Inventory, opts Options) *Policy {
	p := &Policy{clusterRoles: map[string]*Role{}, roles: map[[2]string]*Role{}, effective: map[*Role][]rbacv1.PolicyRule{}}
	bi := builtin()
	for _, r := range bi.roles {
		if r.Kind == KindClusterRole {
			p.clusterRoles[r.Name] = r
		} else {
			p.roles[[2]string{r.Namespace, r.Name}] = r
		}
	}
	if opts.BuiltinBindings {
		p.bindings = append(p.bindings, bi.bindings...)
	}
	if inv != nil {
		for _, gk := range []engine.GroupKind{clusterRoleGK, roleGK} {
			for _, o := range inv.List(gk, "") {
				r := roleOf(o)
				if r == nil {
					continue
				}
				if r.Kind == KindClusterRole {
					if _, dup := p.clusterRoles[r.Name]; !dup || p.clusterRoles[r.Name].Builtin() {
						p.clusterRoles[r.Name] = r
					}
				} else if _, dup := p.roles[[2]string{r.Namespace, r.Name}]; !dup {
					p.roles[[2]string{r.Namespace, r.Name}] = r
				}
			}
		}
		for _, gk := range []engine.GroupKind{clusterRoleBindingGK, roleBindingGK} {
			for _, o := range inv.List(gk, "") {
				if b := bindingOf(o); b != nil {
					p.bindings = append(p.bindings, b)
				}
			}
		}
	}
	p.aggregate()
	return p
}

// roleOf reads a Role or ClusterRole; nil when it is not rbac/v1.
func roleOf(o *engine.Object) *Role {
	switch t := o.TypedObject().(type) {
	case *rbacv1.ClusterRole:
		return &Role{Kind: KindClusterRole, Name: t.Name, Labels: t.Labels, Rules: t.Rules, Aggregation: t.AggregationRule, Object: o}
	case *rbacv1.Role:
		return &Role{Kind: KindRole, Namespace: o.EffectiveNamespace(), Name: t.Name, Labels: t.Labels, Rules: t.Rules, Object: o}
	}
	return nil
}

// bindingOf reads a RoleBinding or ClusterRoleBinding, applying the
// defaulting the API server does first; nil when it is not rbac/v1.
func bindingOf(o *engine.Object) *Binding {
	var b *Binding
	switch t := o.TypedObject().(type) {
	case *rbacv1.ClusterRoleBinding:
		b = &Binding{Kind: KindClusterRoleBinding, Name: t.Name, RoleRef: t.RoleRef, Subjects: slices.Clone(t.Subjects), Object: o}
	case *rbacv1.RoleBinding:
		b = &Binding{Kind: KindRoleBinding, Namespace: o.EffectiveNamespace(), Name: t.Name, RoleRef: t.RoleRef, Subjects: slices.Clone(t.Subjects), Object: o}
	default:
		return nil
	}
	for i, s := range b.Subjects {
		// A RoleBinding's service account defaults to the binding's
		// namespace, as the authorizer reads it.
		if s.Kind == rbacv1.ServiceAccountKind && s.Namespace == "" {
			b.Subjects[i].Namespace = b.Namespace
		}
	}
	return b
}

// aggregate fills the rules of every aggregated ClusterRole with the
// rules of the ClusterRoles its selectors match, transitively, as the
// clusterrole-aggregation controller converges to.
func (p *Policy) aggregate() {
	names := make([]string, 0, len(p.clusterRoles))
	for n := range p.clusterRoles {
		names = append(names, n)
	}
	slices.Sort(names) // deterministic rule order
	var resolve func(r *Role, visiting map[*Role]bool) []rbacv1.PolicyRule
	resolve = func(r *Role, visiting map[*Role]bool) []rbacv1.PolicyRule {
		if r.Aggregation == nil {
			return r.Rules
		}
		if rules, ok := p.effective[r]; ok {
			return rules
		}
		if visiting[r] {
			return nil // a cycle adds nothing new
		}
		visiting[r] = true
		var rules []rbacv1.PolicyRule
		for _, ls := range r.Aggregation.ClusterRoleSelectors {
			sel, err := metav1.LabelSelectorAsSelector(&ls)
			if err != nil || sel.Empty() {
				continue // the API server rejects these; selector-operators says so
			}
			for _, n := range names {
				other := p.clusterRoles[n]
				if other == r || !sel.Matches(labels.Set(other.Labels)) {
					continue
				}
				for _, rule := range resolve(other, visiting) {
					if !slices.ContainsFunc(rules, func(x rbacv1.PolicyRule) bool { return equalRule(x, rule) }) {
						rules = append(rules, rule)
					}
				}
			}
		}
		delete(visiting, r)
		p.effective[r] = rules
		return rules
	}
	for _, n := range names {
		resolve(p.clusterRoles[n], map[*Role]bool{})
	}
}

func equalRule(a, b rbacv1.PolicyRule) bool {
	return slices.Equal(a.Verbs, b.Verbs) && slices.Equal(a.APIGroups, b.APIGroups) && slices.Equal(a.Resources, b.Resources) &&
		slices.Equal(a.ResourceNames, b.ResourceNames) && slices.Equal(a.NonResourceURLs, b.NonResourceURLs)
}

// Rules returns the rules a role grants: its own, or for an aggregated
// ClusterRole those of the roles it aggregates.
func (p *Policy) Rules(r *Role) []rbacv1.PolicyRule {
	if r.Aggregation != nil {
		return p.effective[r]
	}
	return r.Rules
}

// ClusterRole returns the ClusterRole of that name, from the set or built in.
func (p *Policy) ClusterRole(name string) (*Role, bool) {
	r, ok := p.clusterRoles[name]
	return r, ok
}

// Role returns the Role of that namespace and name, from the set or built in.
func (p *Policy) Role(namespace, name string) (*Role, bool) {
	r, ok := p.roles[[2]string{namespace, name}]
	return r, ok
}

// RoleOf resolves a binding's roleRef; false when the role is neither in
// the set nor built in, or a ClusterRoleBinding names a Role.
func (p *Policy) RoleOf(b *Binding) (*Role, bool) {
	switch {
	case b.RoleRef.Kind == KindClusterRole:
		return p.ClusterRole(b.RoleRef.Name)
	case b.RoleRef.Kind == KindRole && b.Kind == KindRoleBinding:
		return p.Role(b.Namespace, b.RoleRef.Name)
	}
	return nil, false
}

// Bindings returns every binding, ClusterRoleBindings first, each kind
// sorted by namespace and name.
func (p *Policy) Bindings() []*Binding {
	out := slices.Clone(p.bindings)
	slices.SortStableFunc(out, func(a, b *Binding) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Namespace, b.Namespace), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// BindingFrom reads a RoleBinding or ClusterRoleBinding object the way
// the policy holds it; false for anything else.
func BindingFrom(o *engine.Object) (*Binding, bool) {
	b := bindingOf(o)
	return b, b != nil
}

// RoleFrom reads a Role or ClusterRole object the way the policy holds
// it; false for anything else.
func RoleFrom(o *engine.Object) (*Role, bool) {
	r := roleOf(o)
	return r, r != nil
}
