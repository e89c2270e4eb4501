# METADATA
# title: RBAC rules name their verbs, resources and API groups
# description: |
#   A "*" in a rule's verbs, resources or apiGroups grants everything that
#   exists now and everything added later: new subresources, new verbs
#   (escalate, bind, impersonate), the resources of every CRD installed
#   after the role was written. Wildcards make a role impossible to review
#   and are how least privilege erodes. Matches kube-linter's
#   wildcard-in-rules and Polaris' rbacWildcard checks. An aggregated
#   ClusterRole's own rules are not judged: the controller replaces them.
# custom:
#   id: rbac-wildcard
#   severity: warning
#   remediation: List the verbs, resources and API groups the subject needs; read-only roles need get, list and watch.
#   kinds: [rbac.authorization.k8s.io/Role, rbac.authorization.k8s.io/ClusterRole]
package kubegate.rules.rbac_wildcard

import data.lib.kubegate

fields := {"verbs": "verbs", "resources": "resources", "apiGroups": "API groups"}

deny contains {"msg": msg, "path": ["rules", i, field]} if {
	some i in kubegate.rbac_rule_refs
	rule := input.rules[i]
	some field, what in fields
	"*" in object.get(rule, field, [])
	msg := sprintf("rule %d grants all %s (\"*\"), including any added later", [i, what])
}
