# METADATA
# title: ClusterRoles aggregated into admin, edit and view stay within them
# description: |
#   A ClusterRole labelled rbac.authorization.k8s.io/aggregate-to-admin,
#   aggregate-to-edit or aggregate-to-view has its rules added to the
#   built-in admin, edit or view role, and so to everyone bound to them in
#   any namespace: usually every team's developers. Writing secrets or RBAC
#   objects, or any wildcard, handed out that way escalates every one of
#   them; and view is meant to be read-only and never to show secrets.
#   CRD installers use the labels to make their resources manageable,
#   which is fine for their own resources. Matches kube-linter's
#   aggregate-to-admin-escalation.
# custom:
#   id: rbac-aggregation
#   severity: warning
#   remediation: Aggregate only the CRD's own resources; grant access to secrets and RBAC objects through dedicated roles and bindings.
#   kinds: [rbac.authorization.k8s.io/ClusterRole]
package kubegate.rules.rbac_aggregation

import data.lib.kubegate

targets := {"admin", "edit", "view"}

aggregated_into contains t if {
	some t in targets
	input.metadata.labels[sprintf("rbac.authorization.k8s.io/aggregate-to-%s", [t])] == "true"
}

sensitive := [["", "secrets"], ["rbac.authorization.k8s.io", "roles"], ["rbac.authorization.k8s.io", "rolebindings"], ["rbac.authorization.k8s.io", "clusterroles"], ["rbac.authorization.k8s.io", "clusterrolebindings"]]

writes := ["create", "update", "patch", "delete", "deletecollection"]

hits[i] contains t[1] if {
	count(aggregated_into) > 0
	some i in kubegate.rbac_rule_refs
	rule := input.rules[i]
	some t in sensitive
	some v in writes
	kubegate.rbac_grants(rule, t[0], t[1], v)
}

deny contains {"msg": msg, "path": ["rules", i]} if {
	some i, resources in hits
	msg := sprintf("rule %d lets everyone bound to %s write %s: aggregated roles reach every namespace's editors", [i, concat(", ", sort(aggregated_into)), concat(", ", sort(resources))])
}

deny contains {"msg": msg, "path": ["rules", i]} if {
	"view" in aggregated_into
	some i in kubegate.rbac_rule_refs
	rule := input.rules[i]
	some v in object.get(rule, "verbs", [])
	not v in {"get", "list", "watch"}
	msg := sprintf("rule %d grants %q to everyone bound to view, which is meant to be read-only", [i, v])
}
