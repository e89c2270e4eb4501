# METADATA
# title: RBAC roles do not read every secret
# description: |
#   get, list or watch on secrets hands out every secret in scope: service
#   account tokens of other workloads, TLS keys, database passwords. list
#   and watch return the contents too, not just the names. A ClusterRole
#   bound cluster-wide reads the secrets of every namespace, kube-system
#   included. Rules limited by resourceNames to the secrets a workload
#   needs are not reported. Matches kube-linter's access-to-secrets and the
#   CIS Kubernetes Benchmark 5.1.2.
# custom:
#   id: rbac-secrets-read
#   severity: warning
#   remediation: Mount the secrets the workload needs instead of reading them through the API, or limit the rule with resourceNames to those secrets.
#   kinds: [rbac.authorization.k8s.io/Role, rbac.authorization.k8s.io/ClusterRole]
package kubegate.rules.rbac_secrets_read

import data.lib.kubegate

hits[i] contains verb if {
	some i in kubegate.rbac_rule_refs
	rule := input.rules[i]
	count(object.get(rule, "resourceNames", [])) == 0
	some verb in ["get", "list", "watch"]
	kubegate.rbac_grants(rule, "", "secrets", verb)
}

deny contains {"msg": msg, "path": ["rules", i, "resources"]} if {
	some i, verbs in hits
	msg := sprintf("rule %d grants %s on secrets: whoever holds the role reads every secret of %s", [i, concat(", ", sort(verbs)), scope])
}

scope := "its namespace" if {
	input.kind == "Role"
} else := "the namespaces it is bound in, and of all of them through a ClusterRoleBinding"
