package kubegate.rules.rbac_secrets_read_test

import data.kubegate.rules.rbac_secrets_read

test_list if {
	count(rbac_secrets_read.deny) == 1 with input as {"kind": "ClusterRole", "rules": [{"apiGroups": [""], "resources": ["secrets", "configmaps"], "verbs": ["list"]}]}
}

test_wildcard_resources if {
	count(rbac_secrets_read.deny) == 1 with input as {"kind": "Role", "rules": [{"apiGroups": [""], "resources": ["*"], "verbs": ["get"]}]}
}

test_named if {
	count(rbac_secrets_read.deny) == 0 with input as {"kind": "Role", "rules": [{"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["app-tls"], "verbs": ["get"]}]}
}

test_other_group if {
	count(rbac_secrets_read.deny) == 0 with input as {"kind": "Role", "rules": [{"apiGroups": ["example.com"], "resources": ["secrets"], "verbs": ["get"]}]}
}

test_write_only if {
	count(rbac_secrets_read.deny) == 0 with input as {"kind": "Role", "rules": [{"apiGroups": [""], "resources": ["secrets"], "verbs": ["create"]}]}
}
