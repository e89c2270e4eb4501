package kubegate.rules.rbac_aggregation_test

import data.kubegate.rules.rbac_aggregation

role(label, rules) := {"kind": "ClusterRole", "metadata": {"name": "r", "labels": {label: "true"}}, "rules": rules}

test_secrets_into_edit if {
	count(rbac_aggregation.deny) > 0 with input as role("rbac.authorization.k8s.io/aggregate-to-edit", [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["create"]}])
}

test_write_into_view if {
	count(rbac_aggregation.deny) == 1 with input as role("rbac.authorization.k8s.io/aggregate-to-view", [{"apiGroups": ["example.com"], "resources": ["widgets"], "verbs": ["get", "delete"]}])
}

test_own_resources if {
	count(rbac_aggregation.deny) == 0 with input as role("rbac.authorization.k8s.io/aggregate-to-admin", [{"apiGroups": ["example.com"], "resources": ["widgets"], "verbs": ["*"]}])
}

test_not_aggregated if {
	count(rbac_aggregation.deny) == 0 with input as {"kind": "ClusterRole", "metadata": {"name": "r"}, "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["create"]}]}
}
