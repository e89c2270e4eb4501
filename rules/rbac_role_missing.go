package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/rbac"
)

// rbacRoleMissing reports bindings whose Role or ClusterRole is neither
// in the set nor built in.
type rbacRoleMissing struct{}

var rbacRoleMissingMeta = engine.Meta{
	ID:    "rbac-role-missing",
	Title: "Bindings refer to roles that exist",
	Description: "The API server accepts a binding to a role that does not exist, and the binding grants " +
		"nothing until a role of that name appears, which may be much later, written by someone else. The " +
		"role is looked up in the set (a RoleBinding's Role in the binding's namespace) and among the " +
		"ClusterRoles every kube-apiserver creates (cluster-admin, admin, edit, view, system:*). A warning when " +
		"the set holds roles of its own, information when it holds none, since the role may then be applied " +
		"from elsewhere.",
	Remediation: "Fix roleRef.name, or add the Role or ClusterRole to the manifests.",
	Severity:    engine.Warning,
	Kinds:       []string{"rbac.authorization.k8s.io/RoleBinding", "rbac.authorization.k8s.io/ClusterRoleBinding"},
	Source:      "go",
	DocURL:      DocURL("rbac-role-missing"),
}

// Meta describes the rule.
func (rbacRoleMissing) Meta() engine.Meta { return rbacRoleMissingMeta }

// Check resolves roleRef against the set and the built-in roles.
func (rbacRoleMissing) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	b, ok := rbac.BindingFrom(obj)
	if !ok || b.RoleRef.Name == "" || inv == nil {
		return nil, nil
	}
	if b.RoleRef.Kind != rbac.KindClusterRole && (b.RoleRef.Kind != rbac.KindRole || b.Kind != rbac.KindRoleBinding) {
		return nil, nil // rbac-refs reports a kind the API server rejects
	}
	p := rbac.PolicyOf(inv, rbac.Options{})
	if _, ok := p.RoleOf(b); ok {
		return nil, nil
	}
	where := "in the set or among the built-in ClusterRoles"
	if b.RoleRef.Kind == rbac.KindRole {
		where = "in namespace " + quote(b.Namespace) + " of the set"
	}
	f := engine.NewFinding(rbacRoleMissingMeta, engine.NewPath("roleRef", "name"),
		"%s %q is not %s: the binding grants nothing until it exists", b.RoleRef.Kind, b.RoleRef.Name, where)
	if len(inv.List(rbacRoleKind, "")) == 0 && len(inv.List(rbacClusterRoleKind, "")) == 0 {
		f.Message = "the set holds no roles: make sure " + b.RoleRef.Kind + " " + quote(b.RoleRef.Name) + " exists, or the binding grants nothing"
		f.Severity = engine.Info
	}
	return []engine.Finding{f}, nil
}
