package rules

import (
	"context"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/rbac"
)

// rbacClusterAdmin reports bindings of the cluster-admin ClusterRole.
type rbacClusterAdmin struct{}

var rbacClusterAdminMeta = engine.Meta{
	ID:    "rbac-cluster-admin",
	Title: "cluster-admin is not bound to workloads or teams",
	Description: "cluster-admin allows every verb on every resource and non-resource URL. Bound to a " +
		"ServiceAccount with a ClusterRoleBinding, anyone who compromises a pod running as that account, or " +
		"who may create pods in its namespace, owns the cluster. Bound with a RoleBinding it still gives full " +
		"control of the namespace: its Roles, RoleBindings and Secrets. Users and groups that administer the " +
		"cluster should get it through system:masters or short-lived credentials, not standing bindings. Covers " +
		"kube-linter's cluster-admin-role-binding and Polaris' cluster-admin binding checks.",
	Remediation: "Write a ClusterRole (or Role) with the verbs and resources the subject needs and bind that; " +
		"for namespace administration bind the built-in admin ClusterRole with a RoleBinding.",
	Severity: engine.Warning,
	Kinds:    []string{"rbac.authorization.k8s.io/RoleBinding", "rbac.authorization.k8s.io/ClusterRoleBinding"},
	Source:   "go",
	DocURL:   DocURL("rbac-cluster-admin"),
}

// Meta describes the rule.
func (rbacClusterAdmin) Meta() engine.Meta { return rbacClusterAdminMeta }

// Check reports each subject bound to cluster-admin.
func (rbacClusterAdmin) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	b, ok := rbac.BindingFrom(obj)
	if !ok || b.RoleRef.Kind != rbac.KindClusterRole || b.RoleRef.Name != "cluster-admin" {
		return nil, nil
	}
	var out []engine.Finding
	for i, s := range b.Subjects {
		at := engine.NewPath("subjects", i)
		switch {
		case b.Kind == rbac.KindRoleBinding:
			out = append(out, engine.NewFinding(rbacClusterAdminMeta, at,
				"RoleBinding gives %s %s full control of namespace %q, its Roles, RoleBindings and Secrets included; bind the admin ClusterRole or a narrower role", s.Kind, subjectName(s), b.Namespace))
		case s.Kind == rbacv1.ServiceAccountKind:
			out = append(out, engine.NewFinding(rbacClusterAdminMeta, at,
				"ClusterRoleBinding gives ServiceAccount %s cluster-admin: whoever runs a pod as it, or may create pods in namespace %q, controls the cluster", subjectName(s), s.Namespace))
		default:
			out = append(out, engine.NewFinding(rbacClusterAdminMeta, at,
				"ClusterRoleBinding gives %s %s cluster-admin, a standing grant of every permission", s.Kind, subjectName(s)))
		}
	}
	return out, nil
}

// subjectName names a subject in a message: "ns/name" for a service
// account, the quoted name otherwise.
func subjectName(s rbacv1.Subject) string {
	if s.Kind == rbacv1.ServiceAccountKind {
		return s.Namespace + "/" + s.Name
	}
	return `"` + s.Name + `"`
}
