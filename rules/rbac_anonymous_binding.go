package rules

import (
	"context"

	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apiserver/pkg/authentication/user"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/rbac"
)

// rbacAnonymousBinding reports bindings to the anonymous user and to the
// groups every caller or every authenticated caller belongs to.
type rbacAnonymousBinding struct{}

var rbacAnonymousBindingMeta = engine.Meta{
	ID:    "rbac-anonymous-binding",
	Title: "Roles are not bound to anonymous or all authenticated users",
	Description: "Requests without credentials are authenticated as user system:anonymous in group " +
		"system:unauthenticated, so a binding to either grants its role to anyone who can reach the API server " +
		"(error). Every authenticated caller, every service account of every namespace included, is in group " +
		"system:authenticated, so a binding to it grants its role to all of them (warning). The built-in " +
		"discovery bindings already give these groups what they need.",
	Remediation: "Bind the role to the users, groups or service accounts that need it.",
	Severity:    engine.Error,
	Kinds:       []string{"rbac.authorization.k8s.io/RoleBinding", "rbac.authorization.k8s.io/ClusterRoleBinding"},
	Source:      "go",
	DocURL:      DocURL("rbac-anonymous-binding"),
}

// Meta describes the rule.
func (rbacAnonymousBinding) Meta() engine.Meta { return rbacAnonymousBindingMeta }

// Check looks at every subject.
func (rbacAnonymousBinding) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	b, ok := rbac.BindingFrom(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	for i, s := range b.Subjects {
		at := engine.NewPath("subjects", i, "name")
		switch {
		case s.Kind == rbacv1.UserKind && s.Name == user.Anonymous, s.Kind == rbacv1.GroupKind && s.Name == user.AllUnauthenticated:
			out = append(out, engine.NewFinding(rbacAnonymousBindingMeta, at,
				"%s binds %s %q to %s %q: anyone who can reach the API server gets it, without credentials", b.Kind, b.RoleRef.Kind, b.RoleRef.Name, s.Kind, s.Name))
		case s.Kind == rbacv1.GroupKind && s.Name == user.AllAuthenticated:
			f := engine.NewFinding(rbacAnonymousBindingMeta, at,
				"%s binds %s %q to %s %q: every authenticated user and every service account of every namespace gets it", b.Kind, b.RoleRef.Kind, b.RoleRef.Name, s.Kind, s.Name)
			f.Severity = engine.Warning
			out = append(out, f)
		}
	}
	return out, nil
}
