package kubegate.rules.rbac_deletecollection_test

import data.kubegate.rules.rbac_deletecollection

test_granted if {
	count(rbac_deletecollection.deny) == 1 with input as {"kind": "Role", "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["delete", "deletecollection"]}]}
}

test_delete_only if {
	count(rbac_deletecollection.deny) == 0 with input as {"kind": "Role", "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["delete"]}]}
}
