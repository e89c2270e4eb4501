package kubegate.rules.restart_policy_value_test

import data.kubegate.rules.restart_policy_value

pod(rp) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"restartPolicy": rp, "containers": []}}

test_wrong_case_is_denied if {
	some f in restart_policy_value.deny with input as pod("always")
	f.path == ["spec", "restartPolicy"]
}

test_legal_values_pass if {
	every rp in ["Always", "OnFailure", "Never"] {
		count(restart_policy_value.deny) == 0 with input as pod(rp)
	}
}
