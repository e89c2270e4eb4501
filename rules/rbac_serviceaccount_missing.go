package rules

import (
	"context"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/rbac"
)

// rbacServiceAccountMissing reports ServiceAccount subjects absent from
// the set.
type rbacServiceAccountMissing struct{}

var rbacServiceAccountMissingMeta = engine.Meta{
	ID:    "rbac-serviceaccount-missing",
	Title: "Bound service accounts exist",
	Description: "A binding to a ServiceAccount that does not exist grants nothing today, and everything to " +
		"whoever later creates an account of that name in that namespace: a typo becomes a standing grant " +
		"waiting for a taker. The account is looked up in the set; the default account, which every namespace " +
		"gets, and accounts in kube-system, which the control plane creates, are not reported. A warning when the " +
		"set holds ServiceAccounts, information when it holds none. Covers kube-linter's " +
		"non-existent-service-account for bindings.",
	Remediation: "Fix the subject's name or namespace, or add the ServiceAccount to the manifests.",
	Severity:    engine.Warning,
	Kinds:       []string{"rbac.authorization.k8s.io/RoleBinding", "rbac.authorization.k8s.io/ClusterRoleBinding"},
	Source:      "go",
	DocURL:      DocURL("rbac-serviceaccount-missing"),
}

// Meta describes the rule.
func (rbacServiceAccountMissing) Meta() engine.Meta { return rbacServiceAccountMissingMeta }

// Check looks every ServiceAccount subject up in its namespace.
func (rbacServiceAccountMissing) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	b, ok := rbac.BindingFrom(obj)
	if !ok || inv == nil {
		return nil, nil
	}
	anySAs := len(inv.List(serviceAccountKind, "")) > 0
	var out []engine.Finding
	for i, s := range b.Subjects {
		if s.Kind != rbacv1.ServiceAccountKind || s.Name == "" || s.Namespace == "" || s.Name == "default" || s.Namespace == "kube-system" {
			continue // rbac-refs reports a missing name or namespace
		}
		if _, ok := inv.Get(serviceAccountKind, s.Namespace, s.Name); ok {
			continue
		}
		at := engine.NewPath("subjects", i, "name")
		if anySAs {
			out = append(out, engine.NewFinding(rbacServiceAccountMissingMeta, at,
				"ServiceAccount %s/%s is not in the set: the binding grants its role to whoever creates it later", s.Namespace, s.Name))
			continue
		}
		f := engine.NewFinding(rbacServiceAccountMissingMeta, at,
			"the set holds no ServiceAccounts: make sure %s/%s exists, or the binding grants its role to whoever creates it later", s.Namespace, s.Name)
		f.Severity = engine.Info
		out = append(out, f)
	}
	return out, nil
}
