package rbac

import (
	"fmt"
	"slices"
	"strings"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apiserver/pkg/authentication/serviceaccount"
	"k8s.io/apiserver/pkg/authentication/user"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/component-helpers/auth/rbac/validation"

	"github.com/kubegate/kubegate/engine"
)

// Resource is what a request is about: a resource of an API group,
// optionally a subresource.
type Resource struct {
	Group, Resource, Subresource string
	// Namespaced is false for cluster-scoped resources, which only
	// ClusterRoleBindings grant.
	Namespaced bool
}

// String writes the resource the way kubectl does: deployments.apps/scale.
func (r Resource) String() string {
	s := r.Resource
	if r.Group != "" {
		s += "." + r.Group
	}
	if r.Subresource != "" {
		s += "/" + r.Subresource
	}
	return s
}

// ResolveResource reads a resource as kubectl auth can-i takes it
// (pods, pods/exec, deployments.apps, deployments.apps/scale, or "*") and
// finds its group and scope among the built-in kinds and the
// CustomResourceDefinitions of inv. A plural the built-in kinds and CRDs
// do not know is an error, so that a typo does not answer "no one".
func ResolveResource(arg string, inv engine.Inventory) (Resource, error) {
	name, sub, _ := strings.Cut(arg, "/")
	if name == "" {
		return Resource{}, fmt.Errorf("resolve resource %q: no resource", arg)
	}
	if name == "*" {
		return Resource{Group: "*", Resource: "*", Subresource: sub, Namespaced: true}, nil
	}
	plural, group, grouped := strings.Cut(strings.ToLower(name), ".")
	known := knownResources(inv)
	var candidates []Resource
	for _, k := range known {
		if k.Resource == plural && (!grouped || k.Group == group) {
			candidates = append(candidates, k)
		}
	}
	if len(candidates) == 0 {
		return Resource{}, fmt.Errorf("resolve resource %q: not a built-in resource or one of a CustomResourceDefinition in the input; write it as plural.group", arg)
	}
	// Prefer the core group, then any group but the retired extensions
	// one, as kubectl's discovery order does for events and ingresses.
	slices.SortStableFunc(candidates, func(a, b Resource) int { return groupRank(a.Group) - groupRank(b.Group) })
	r := candidates[0]
	r.Subresource = sub
	return r, nil
}

func groupRank(g string) int {
	switch g {
	case "":
		return 0
	case "extensions":
		return 2
	}
	return 1
}

// knownResources lists the built-in resources and those of the CRDs in
// inv, deduplicated across versions.
func knownResources(inv engine.Inventory) []Resource {
	seen := map[Resource]bool{}
	var out []Resource
	add := func(r Resource) {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	for gvk := range clientgoscheme.Scheme.AllKnownTypes() {
		if gvk.Version == "__internal" || strings.HasSuffix(gvk.Kind, "List") || strings.HasSuffix(gvk.Kind, "Options") || gvk.Kind == "WatchEvent" || gvk.Kind == "Status" {
			continue
		}
		plural, _ := meta.UnsafeGuessKindToResource(gvk)
		add(Resource{Group: gvk.Group, Resource: plural.Resource,
			Namespaced: !engine.IsClusterScoped(engine.GroupKind{Group: gvk.Group, Kind: gvk.Kind})})
	}
	if inv != nil {
		for _, crd := range inv.List(engine.GroupKind{Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition"}, "") {
			spec, _ := crd.Raw["spec"].(map[string]any)
			group, _ := spec["group"].(string)
			names, _ := spec["names"].(map[string]any)
			plural, _ := names["plural"].(string)
			scope, _ := spec["scope"].(string)
			if plural != "" {
				add(Resource{Group: group, Resource: plural, Namespaced: scope != "Cluster"})
			}
		}
	}
	return out
}

// Request is a question to the policy: may someone do Verb on Resource in
// Namespace? Namespace "" asks about every namespace at once: for
// who-can, grants in any namespace; for can, a grant across all of them.
type Request struct {
	Verb      string
	Resource  Resource
	Namespace string
}

// Grant is one way a request is allowed: a subject, the binding that
// names it and the role that allows it.
type Grant struct {
	Subject rbacv1.Subject
	Binding *Binding
	Role    *Role
	// Namespace is where the grant holds; "" means every namespace.
	Namespace string
	// ResourceNames, when set, limits the grant to objects of those names.
	ResourceNames []string
}

// WhoCan returns every grant allowing the request, ClusterRoleBindings
// first. With Namespace set, only grants that hold there; with
// allNamespaces, only grants that hold everywhere.
func (p *Policy) WhoCan(req Request, allNamespaces bool) []Grant {
	want := rbacv1.PolicyRule{Verbs: []string{req.Verb}, APIGroups: []string{req.Resource.Group}, Resources: []string{resourceString(req.Resource)}}
	var out []Grant
	for _, b := range p.Bindings() {
		if b.Kind == KindRoleBinding {
			// A RoleBinding grants inside its namespace only, so never a
			// cluster-scoped resource.
			if !req.Resource.Namespaced || allNamespaces || (req.Namespace != "" && b.Namespace != req.Namespace) {
				continue
			}
		}
		role, ok := p.RoleOf(b)
		if !ok {
			continue
		}
		rules := p.Rules(role)
		var names []string
		if covered, _ := validation.Covers(rules, []rbacv1.PolicyRule{want}); !covered {
			names = restrictedNames(rules, want)
			if len(names) == 0 {
				continue
			}
		}
		for _, s := range b.Subjects {
			out = append(out, Grant{Subject: s, Binding: b, Role: role, Namespace: b.Namespace, ResourceNames: names})
		}
	}
	return out
}

// restrictedNames returns the resourceNames of the rules that would allow
// want were it about those objects only.
func restrictedNames(rules []rbacv1.PolicyRule, want rbacv1.PolicyRule) []string {
	var names []string
	for _, r := range rules {
		if len(r.ResourceNames) == 0 {
			continue
		}
		named := want
		named.ResourceNames = r.ResourceNames
		if covered, _ := validation.Covers([]rbacv1.PolicyRule{r}, []rbacv1.PolicyRule{named}); covered {
			for _, n := range r.ResourceNames {
				if !slices.Contains(names, n) {
					names = append(names, n)
				}
			}
		}
	}
	return names
}

func resourceString(r Resource) string {
	if r.Subresource != "" {
		return r.Resource + "/" + r.Subresource
	}
	return r.Resource
}

// User is who asks: a user name and its groups, as an authenticator
// reports them.
type User struct {
	Name   string
	Groups []string
}

// ParseSubject reads a subject as kubegate rbac can takes it:
// system:serviceaccount:NS:NAME (or serviceaccount:NS:NAME), group:NAME,
// user:NAME or a bare user name. Users get the groups the API server adds
// on authentication (system:authenticated; for service accounts also
// system:serviceaccounts and system:serviceaccounts:NS), plus extra.
func ParseSubject(s string, extra []string) (User, error) {
	switch {
	case strings.HasPrefix(s, "serviceaccount:"), strings.HasPrefix(s, serviceaccount.ServiceAccountUsernamePrefix):
		rest := strings.TrimPrefix(strings.TrimPrefix(s, "system:"), "serviceaccount:")
		ns, name, ok := strings.Cut(rest, ":")
		if !ok || ns == "" || name == "" || strings.Contains(name, ":") {
			return User{}, fmt.Errorf("parse subject %q: want system:serviceaccount:NAMESPACE:NAME", s)
		}
		groups := append(serviceaccount.MakeGroupNames(ns), user.AllAuthenticated)
		return User{Name: serviceaccount.MakeUsername(ns, name), Groups: append(groups, extra...)}, nil
	case strings.HasPrefix(s, "group:"):
		g := strings.TrimPrefix(s, "group:")
		if g == "" {
			return User{}, fmt.Errorf("parse subject %q: no group name", s)
		}
		return User{Groups: append([]string{g}, extra...)}, nil
	}
	name := strings.TrimPrefix(s, "user:")
	if name == "" {
		return User{}, fmt.Errorf("parse subject %q: no user name", s)
	}
	if name == user.Anonymous {
		return User{Name: name, Groups: append([]string{user.AllUnauthenticated}, extra...)}, nil
	}
	return User{Name: name, Groups: append([]string{user.AllAuthenticated}, extra...)}, nil
}

// Applies reports whether a grant's subject is u, the way the RBAC
// authorizer matches subjects.
func (g Grant) Applies(u User) bool {
	switch g.Subject.Kind {
	case rbacv1.UserKind:
		return u.Name != "" && g.Subject.Name == u.Name
	case rbacv1.GroupKind:
		return slices.Contains(u.Groups, g.Subject.Name)
	case rbacv1.ServiceAccountKind:
		return u.Name != "" && serviceaccount.MakeUsername(g.Subject.Namespace, g.Subject.Name) == u.Name
	}
	return false
}

// Can answers whether u may make the request: allowed when a grant
// without resourceNames applies to u. It returns the grants that apply,
// restricted ones included, so callers can say why.
func (p *Policy) Can(u User, req Request, allNamespaces bool) (bool, []Grant) {
	var applying []Grant
	allowed := false
	for _, g := range p.WhoCan(req, allNamespaces) {
		if g.Applies(u) {
			applying = append(applying, g)
			allowed = allowed || len(g.ResourceNames) == 0
		}
	}
	return allowed, applying
}
