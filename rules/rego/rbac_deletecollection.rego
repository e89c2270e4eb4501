# METADATA
# title: RBAC roles do not grant deletecollection
# description: |
#   deletecollection removes every object of a resource in a namespace (or
#   the cluster) in one request, where delete removes one named object: a
#   mistaken selector or a compromised token empties the namespace. The
#   built-in edit and admin roles grant it; custom roles rarely need it.
#   Matches kube-linter's deletecollection-verb-in-role.
# custom:
#   id: rbac-deletecollection
#   severity: info
#   remediation: Grant delete instead; controllers that clean up in bulk can delete by name after a list.
#   kinds: [rbac.authorization.k8s.io/Role, rbac.authorization.k8s.io/ClusterRole]
package kubegate.rules.rbac_deletecollection

import data.lib.kubegate

deny contains {"msg": msg, "path": ["rules", i, "verbs"]} if {
	some i in kubegate.rbac_rule_refs
	"deletecollection" in object.get(input.rules[i], "verbs", [])
	msg := sprintf("rule %d grants deletecollection on %s: one request deletes every object of the kind", [i, concat(", ", object.get(input.rules[i], "resources", []))])
}
