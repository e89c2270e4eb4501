package kubegate.rules.seccomp_profile_test

import data.kubegate.rules.seccomp_profile

pod(podsc, sc) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"securityContext": podsc, "containers": [{"name": "app", "image": "x", "securityContext": sc}]}}

test_pod_runtime_default_passes if {
	count(seccomp_profile.deny) == 0 with input as pod({"seccompProfile": {"type": "RuntimeDefault"}}, {})
}

test_container_unconfined_fails if {
	some f in seccomp_profile.deny with input as pod({"seccompProfile": {"type": "RuntimeDefault"}}, {"seccompProfile": {"type": "Unconfined"}})
	f.path == ["spec", "containers", 0, "securityContext", "seccompProfile", "type"]
}

test_unset_fails if {
	some f in seccomp_profile.deny with input as pod({}, {})
	contains(f.msg, "sets no seccomp profile")
}
