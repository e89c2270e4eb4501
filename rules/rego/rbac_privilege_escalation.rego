# METADATA
# title: RBAC roles do not grant escalate, bind or impersonate
# description: |
#   The API server stops a subject from creating a role or binding that
#   grants more than it holds itself, unless it may escalate (on roles and
#   clusterroles, to write any rule) or bind (on roles and clusterroles, to
#   bind any role). impersonate on users, groups, serviceaccounts or uids
#   lets it act as anyone, system:masters included. approve or sign on
#   certificates.k8s.io signers, unlimited by resourceNames, lets it issue
#   a client certificate for any user, kube-apiserver-client included.
#   Each turns this role into cluster-admin for whoever holds it. Wildcard verbs and resources
#   include them. Matches kube-linter's bind-verb-in-role, escalate-verb-in-role,
#   impersonate-without-resource-names and
#   approve-signers-without-resource-names, and the CIS Kubernetes
#   Benchmark 5.1.8.
# custom:
#   id: rbac-privilege-escalation
#   severity: warning
#   remediation: Remove escalate, bind and impersonate; grant the specific roles a controller may bind with resourceNames if it must bind at all.
#   kinds: [rbac.authorization.k8s.io/Role, rbac.authorization.k8s.io/ClusterRole]
package kubegate.rules.rbac_privilege_escalation

import data.lib.kubegate

# sensitive maps a verb to the [group, resource] pairs it escalates on.
sensitive := {
	"escalate": [["rbac.authorization.k8s.io", "roles"], ["rbac.authorization.k8s.io", "clusterroles"]],
	"bind": [["rbac.authorization.k8s.io", "roles"], ["rbac.authorization.k8s.io", "clusterroles"]],
	"impersonate": [["", "users"], ["", "groups"], ["", "serviceaccounts"], ["authentication.k8s.io", "uids"], ["authentication.k8s.io", "userextras/*"]],
	"approve": [["certificates.k8s.io", "signers"]],
	"sign": [["certificates.k8s.io", "signers"]],
}

hits[i] contains verb if {
	some i in kubegate.rbac_rule_refs
	rule := input.rules[i]
	count(object.get(rule, "resourceNames", [])) == 0
	some verb, targets in sensitive
	some t in targets
	kubegate.rbac_grants(rule, t[0], t[1], verb)
}

deny contains {"msg": msg, "path": ["rules", i, "verbs"]} if {
	some i, verbs in hits
	msg := sprintf("rule %d grants %s: whoever holds the role can raise their own privileges to cluster-admin", [i, concat(", ", sort(verbs))])
}
