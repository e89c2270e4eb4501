package rules

import (
	"context"
	"strings"

	"k8s.io/apimachinery/pkg/api/validate/content"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubegate/kubegate/engine"
)

// rbacRefs reports RoleBinding and ClusterRoleBinding roleRefs and subjects
// the API server rejects, after the defaulting it applies first.
type rbacRefs struct{}

var rbacRefsMeta = engine.Meta{
	ID:    "rbac-refs",
	Title: "Role bindings reference roles and subjects correctly",
	Description: "A binding's roleRef names a Role or ClusterRole (a ClusterRoleBinding only a ClusterRole) in " +
		"the rbac.authorization.k8s.io group; in rbac.authorization.k8s.io/v1 an empty apiGroup is " +
		"defaulted to that group before validation, so leaving it out is fine, but any other group is " +
		"rejected. Every subject needs a name and a kind of User, Group or ServiceAccount: users and groups " +
		"are in the rbac.authorization.k8s.io group (again defaulted when empty), a ServiceAccount in the " +
		"core group with a valid name, and in a ClusterRoleBinding it must say its namespace. roleRef " +
		"cannot be changed after creation, so a wrong one means deleting the binding.",
	Remediation: "Point roleRef at kind Role or ClusterRole with apiGroup rbac.authorization.k8s.io; give each " +
		"subject a kind, a name and, for a ServiceAccount in a ClusterRoleBinding, a namespace.",
	Severity: engine.Error,
	Kinds:    []string{"rbac.authorization.k8s.io/RoleBinding", "rbac.authorization.k8s.io/ClusterRoleBinding"},
	Source:   "go",
	DocURL:   DocURL("rbac-refs"),
}

const rbacGroup = "rbac.authorization.k8s.io"

// Meta describes the rule.
func (rbacRefs) Meta() engine.Meta { return rbacRefsMeta }

// Check validates roleRef and each subject.
func (rbacRefs) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	var out []engine.Finding
	// Defaulting of rbac/v1 fills empty API groups; older versions are not
	// served any more and deprecated-api reports them.
	defaults := obj.APIVersion == rbacGroup+"/v1"
	cluster := obj.Kind == "ClusterRoleBinding"

	rr := engine.NewPath("roleRef")
	if rawMap(obj.Raw, "roleRef") == nil {
		out = append(out, engine.NewFinding(rbacRefsMeta, rr, "the binding has no roleRef; the API server requires one"))
	} else {
		group, _ := rawString(obj.Raw, "roleRef", "apiGroup")
		if group == "" && defaults {
			group = rbacGroup
		}
		if group != rbacGroup {
			out = append(out, engine.NewFinding(rbacRefsMeta, existing(obj, rr.Child("apiGroup")),
				"roleRef.apiGroup is %q; it must be %s", group, rbacGroup))
		}
		kind, _ := rawString(obj.Raw, "roleRef", "kind")
		switch {
		case kind == "ClusterRole":
		case kind == "Role" && !cluster:
		case cluster:
			out = append(out, engine.NewFinding(rbacRefsMeta, existing(obj, rr.Child("kind")),
				"a ClusterRoleBinding's roleRef.kind must be ClusterRole, not %q", kind))
		default:
			out = append(out, engine.NewFinding(rbacRefsMeta, existing(obj, rr.Child("kind")),
				"roleRef.kind must be Role or ClusterRole, not %q", kind))
		}
		name, _ := rawString(obj.Raw, "roleRef", "name")
		if name == "" {
			out = append(out, engine.NewFinding(rbacRefsMeta, existing(obj, rr.Child("name")), "roleRef.name is required"))
		} else if errs := content.IsPathSegmentName(name); len(errs) > 0 {
			out = append(out, engine.NewFinding(rbacRefsMeta, rr.Child("name"), "roleRef.name %q is invalid: %s", name, strings.Join(errs, "; ")))
		}
	}

	for i, s := range rawList(obj.Raw, "subjects") {
		sp := engine.NewPath("subjects", i)
		kind, _ := rawString(s, "kind")
		name, _ := rawString(s, "name")
		group, hasGroup := rawString(s, "apiGroup")
		if name == "" {
			out = append(out, engine.NewFinding(rbacRefsMeta, existing(obj, sp.Child("name")), "subject %d has no name", i))
		}
		switch kind {
		case "ServiceAccount":
			if hasGroup && group != "" {
				out = append(out, engine.NewFinding(rbacRefsMeta, sp.Child("apiGroup"),
					"a ServiceAccount subject's apiGroup must be empty (the core group), not %q", group))
			}
			if name != "" {
				if errs := validation.IsDNS1123Subdomain(name); len(errs) > 0 {
					out = append(out, engine.NewFinding(rbacRefsMeta, sp.Child("name"),
						"ServiceAccount name %q is invalid: %s", name, strings.Join(errs, "; ")))
				}
			}
			if ns, _ := rawString(s, "namespace"); ns == "" && cluster {
				out = append(out, engine.NewFinding(rbacRefsMeta, existing(obj, sp.Child("namespace")),
					"a ServiceAccount subject of a ClusterRoleBinding needs a namespace"))
			}
		case "User", "Group":
			if group == "" && defaults {
				group = rbacGroup
			}
			if group != rbacGroup {
				out = append(out, engine.NewFinding(rbacRefsMeta, existing(obj, sp.Child("apiGroup")),
					"a %s subject's apiGroup must be %s, not %q", kind, rbacGroup, group))
			}
		default:
			out = append(out, engine.NewFinding(rbacRefsMeta, existing(obj, sp.Child("kind")),
				"subject kind %q is not supported; use User, Group or ServiceAccount", kind))
		}
	}
	return out, nil
}
