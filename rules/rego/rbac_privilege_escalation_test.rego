package kubegate.rules.rbac_privilege_escalation_test

import data.kubegate.rules.rbac_privilege_escalation

test_bind if {
	count(rbac_privilege_escalation.deny) == 1 with input as {"kind": "ClusterRole", "rules": [{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "verbs": ["bind", "escalate"]}]}
}

test_impersonate if {
	count(rbac_privilege_escalation.deny) == 1 with input as {"kind": "ClusterRole", "rules": [{"apiGroups": [""], "resources": ["users", "groups"], "verbs": ["impersonate"]}]}
}

test_wildcard if {
	count(rbac_privilege_escalation.deny) == 1 with input as {"kind": "Role", "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}
}

test_named_roles if {
	count(rbac_privilege_escalation.deny) == 0 with input as {"kind": "ClusterRole", "rules": [{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "resourceNames": ["view"], "verbs": ["bind"]}]}
}

test_plain if {
	count(rbac_privilege_escalation.deny) == 0 with input as {"kind": "Role", "rules": [{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["roles"], "verbs": ["get", "create"]}]}
}

test_approve_signers if {
	count(rbac_privilege_escalation.deny) == 1 with input as {"kind": "ClusterRole", "rules": [{"apiGroups": ["certificates.k8s.io"], "resources": ["signers"], "verbs": ["approve"]}]}
}
