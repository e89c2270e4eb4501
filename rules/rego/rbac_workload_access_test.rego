package kubegate.rules.rbac_workload_access_test

import data.kubegate.rules.rbac_workload_access

test_exec if {
	count(rbac_workload_access.deny) == 1 with input as {"kind": "Role", "rules": [{"apiGroups": [""], "resources": ["pods/exec"], "verbs": ["create"]}]}
}

test_subresource_wildcard if {
	count(rbac_workload_access.deny) == 1 with input as {"kind": "Role", "rules": [{"apiGroups": [""], "resources": ["*/attach"], "verbs": ["get"]}]}
}

test_create_pods if {
	count(rbac_workload_access.deny) == 1 with input as {"kind": "ClusterRole", "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["create", "delete"]}]}
}

test_node_proxy if {
	count(rbac_workload_access.deny) == 1 with input as {"kind": "ClusterRole", "rules": [{"apiGroups": [""], "resources": ["nodes/proxy"], "verbs": ["get"]}]}
}

test_read_pods if {
	count(rbac_workload_access.deny) == 0 with input as {"kind": "Role", "rules": [{"apiGroups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list", "watch"]}]}
}
