# METADATA
# title: RBAC roles do not grant shells or new pods
# description: |
#   Some permissions are code execution in disguise. pods/exec and
#   pods/attach open a shell in a running container (its service account
#   token, its mounted secrets, its network position); pods/portforward
#   reaches ports no Service exposes; patching pods/ephemeralcontainers
#   adds a debug container to any pod. create on pods runs any image with
#   any service account of the namespace, so its secrets and privileges
#   too. nodes/proxy reaches the kubelet API, which runs commands in every
#   pod of the node. Matches kube-linter's access-to-create-pods, Polaris'
#   pod exec and attach checks, and the CIS Kubernetes Benchmark 5.1.4.
# custom:
#   id: rbac-workload-access
#   severity: warning
#   remediation: Grant these only to the people and controllers that need them, in the namespaces they need them; create workloads through Deployments and Jobs whose service accounts you control.
#   kinds: [rbac.authorization.k8s.io/Role, rbac.authorization.k8s.io/ClusterRole]
package kubegate.rules.rbac_workload_access

import data.lib.kubegate

# sensitive maps "resource verb" to what it lets the holder do.
sensitive := {
	"pods/exec create": "run commands in any pod",
	"pods/exec get": "run commands in any pod",
	"pods/attach create": "attach to any pod's console",
	"pods/attach get": "attach to any pod's console",
	"pods/portforward create": "reach any pod's ports",
	"pods/ephemeralcontainers patch": "add a debug container to any pod",
	"pods/ephemeralcontainers update": "add a debug container to any pod",
	"pods create": "run any image with any service account",
	"nodes/proxy get": "call the kubelet API, which runs commands in every pod of a node",
	"nodes/proxy create": "call the kubelet API, which runs commands in every pod of a node",
}

hits[i] contains what if {
	some i in kubegate.rbac_rule_refs
	rule := input.rules[i]
	count(object.get(rule, "resourceNames", [])) == 0
	some key, what in sensitive
	parts := split(key, " ")
	kubegate.rbac_grants(rule, "", parts[0], parts[1])
}

deny contains {"msg": msg, "path": ["rules", i, "resources"]} if {
	some i, whats in hits
	msg := sprintf("rule %d lets whoever holds the role %s", [i, concat("; ", sort(whats))])
}
