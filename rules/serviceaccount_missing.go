package rules

import (
	"context"

	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/rbac"
)

// serviceAccountMissing reports ServiceAccounts that bindings or pod
// templates name and the set does not hold.
type serviceAccountMissing struct{}

var serviceAccountMissingMeta = engine.Meta{
	ID:    "serviceaccount-missing",
	Title: "Service accounts that are bound or used exist",
	Description: "A pod whose serviceAccountName does not exist is never created: its controller retries with " +
		"\"serviceaccount not found\" events while the workload stays at zero pods. A binding to a ServiceAccount " +
		"that does not exist grants nothing today, and everything to whoever later creates an account of that " +
		"name in that namespace: a typo becomes a standing grant waiting for a taker. Accounts are looked up in " +
		"the set; the default account, which every namespace gets, and accounts in kube-system, which the control " +
		"plane creates, are not reported. A warning when the set holds ServiceAccounts, information when it holds " +
		"none. Covers kube-linter's non-existent-service-account.",
	Remediation: "Fix the name or namespace, or add the ServiceAccount to the manifests.",
	Severity:    engine.Warning,
	Kinds: []string{"rbac.authorization.k8s.io/RoleBinding", "rbac.authorization.k8s.io/ClusterRoleBinding",
		"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"},
	Source: "go",
	DocURL: DocURL("serviceaccount-missing"),
}

// Meta describes the rule.
func (serviceAccountMissing) Meta() engine.Meta { return serviceAccountMissingMeta }

// Check looks every named account up in its namespace.
func (serviceAccountMissing) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	if inv == nil {
		return nil, nil
	}
	anySAs := len(inv.List(serviceAccountKind, "")) > 0
	missing := func(ns, name string) bool {
		if name == "" || ns == "" || name == "default" || ns == "kube-system" {
			return false // rbac-refs and the schema report missing names
		}
		_, ok := inv.Get(serviceAccountKind, ns, name)
		return !ok
	}
	b, ok := rbac.BindingFrom(obj)
	if !ok {
		spec, ok := engine.PodSpecOf(obj)
		if !ok || spec.Spec == nil {
			return nil, nil
		}
		name := spec.Spec.ServiceAccountName
		if name == "" {
			name = spec.Spec.DeprecatedServiceAccount
		}
		ns := obj.EffectiveNamespace()
		if !missing(ns, name) {
			return nil, nil
		}
		at := existing(obj, spec.Path.Child("serviceAccountName"))
		if anySAs {
			return []engine.Finding{engine.NewFinding(serviceAccountMissingMeta, at,
				"ServiceAccount %s/%s is not in the set: no pod of %s %q is created until it exists", ns, name, obj.Kind, obj.Name)}, nil
		}
		f := engine.NewFinding(serviceAccountMissingMeta, at,
			"the set holds no ServiceAccounts: make sure %s/%s exists, or no pod of %s %q is created", ns, name, obj.Kind, obj.Name)
		f.Severity = engine.Info
		return []engine.Finding{f}, nil
	}
	var out []engine.Finding
	for i, s := range b.Subjects {
		if s.Kind != rbacv1.ServiceAccountKind || !missing(s.Namespace, s.Name) {
			continue
		}
		at := engine.NewPath("subjects", i, "name")
		if anySAs {
			out = append(out, engine.NewFinding(serviceAccountMissingMeta, at,
				"ServiceAccount %s/%s is not in the set: the binding grants its role to whoever creates it later", s.Namespace, s.Name))
			continue
		}
		f := engine.NewFinding(serviceAccountMissingMeta, at,
			"the set holds no ServiceAccounts: make sure %s/%s exists, or the binding grants its role to whoever creates it later", s.Namespace, s.Name)
		f.Severity = engine.Info
		out = append(out, f)
	}
	return out, nil
}
