package kubegate.rules.run_as_non_root_test

import data.kubegate.rules.run_as_non_root

pod(podsc, sc) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"securityContext": podsc, "containers": [{"name": "app", "image": "x", "securityContext": sc}]}}

test_root_user_fails if {
	some f in run_as_non_root.deny with input as pod({"runAsNonRoot": true}, {"runAsUser": 0})
	f.path == ["spec", "containers", 0, "securityContext", "runAsUser"]
}

test_pod_level_root_fails if {
	some f in run_as_non_root.deny with input as pod({"runAsUser": 0}, {})
	f.path == ["spec", "securityContext", "runAsUser"]
}

test_nothing_set_fails if {
	some f in run_as_non_root.deny with input as pod({}, {})
	contains(f.msg, "may run as root")
}

test_non_root_passes if {
	count(run_as_non_root.deny) == 0 with input as pod({"runAsNonRoot": true}, {})
	count(run_as_non_root.deny) == 0 with input as pod({}, {"runAsUser": 1000})
}

test_container_overrides_pod if {
	count(run_as_non_root.deny) == 0 with input as pod({"runAsUser": 0}, {"runAsUser": 1000})
}
