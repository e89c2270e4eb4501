package kubegate.rules.rbac_wildcard_test

import data.kubegate.rules.rbac_wildcard

test_all_wildcards if {
	count(rbac_wildcard.deny) == 3 with input as {"kind": "ClusterRole", "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}
}

test_named if {
	count(rbac_wildcard.deny) == 0 with input as {"kind": "Role", "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]}
}

test_aggregated_ignored if {
	count(rbac_wildcard.deny) == 0 with input as {"kind": "ClusterRole", "aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {"a": "b"}}]}, "rules": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]}
}
