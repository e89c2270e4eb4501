package kubegate.rules.capabilities_test

import data.kubegate.rules.capabilities

pod(sc) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "image": "x", "securityContext": sc}]}}

test_drop_all_passes if {
	count(capabilities.deny) == 0 with input as pod({"capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE"]}})
	count(capabilities.deny) == 0 with input as pod({"capabilities": {"drop": ["all"]}})
}

test_no_drop_fails if {
	some f in capabilities.deny with input as pod({})
	f.path == ["spec", "containers", 0, "securityContext"]
}

test_partial_drop_fails if {
	some f in capabilities.deny with input as pod({"capabilities": {"drop": ["NET_RAW"]}})
	f.path == ["spec", "containers", 0, "securityContext", "capabilities", "drop"]
}

test_dangerous_add_fails if {
	some f in capabilities.deny with input as pod({"capabilities": {"drop": ["ALL"], "add": ["NET_BIND_SERVICE", "CAP_SYS_ADMIN"]}})
	f.path == ["spec", "containers", 0, "securityContext", "capabilities", "add", 1]
	contains(f.msg, "SYS_ADMIN")
}
