package kubegate.rules.service_account_field_test

import data.kubegate.rules.service_account_field

test_field if {
	count(service_account_field.deny) == 1 with input as {"kind": "Pod", "spec": {"serviceAccount": "a", "containers": []}}
	count(service_account_field.deny) == 0 with input as {"kind": "Pod", "spec": {"serviceAccountName": "a", "containers": []}}
}
