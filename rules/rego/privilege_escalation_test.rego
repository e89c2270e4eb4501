package kubegate.rules.privilege_escalation_test

import data.kubegate.rules.privilege_escalation

pod(sc) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "image": "x", "securityContext": sc}]}}

test_unset_fails if {
	some f in privilege_escalation.deny with input as pod({})
	f.path == ["spec", "containers", 0, "securityContext"]
	contains(f.msg, "defaults to true")
}

test_true_fails if {
	some f in privilege_escalation.deny with input as pod({"allowPrivilegeEscalation": true})
	f.path == ["spec", "containers", 0, "securityContext", "allowPrivilegeEscalation"]
}

test_false_passes if {
	count(privilege_escalation.deny) == 0 with input as pod({"allowPrivilegeEscalation": false})
}

test_windows_passes if {
	w := json.patch(pod({}), [{"op": "add", "path": "/spec/os", "value": {"name": "windows"}}])
	count(privilege_escalation.deny) == 0 with input as w
}
