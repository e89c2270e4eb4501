package kubegate.rules.privileged_container_test

import data.kubegate.rules.privileged_container

pod(sc) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "image": "x", "securityContext": sc}]}}

test_privileged_fails if {
	some f in privileged_container.deny with input as pod({"privileged": true})
	f.path == ["spec", "containers", 0, "securityContext", "privileged"]
}

test_unprivileged_passes if {
	count(privileged_container.deny) == 0 with input as pod({"privileged": false})
	count(privileged_container.deny) == 0 with input as pod({})
}

test_host_process if {
	count(privileged_container.deny) == 1 with input as {"kind": "Pod", "spec": {"securityContext": {"windowsOptions": {"hostProcess": true}}, "hostNetwork": true, "containers": [{"name": "c"}]}}
}

test_scc if {
	count(privileged_container.deny) == 1 with input as {"kind": "SecurityContextConstraints", "metadata": {"name": "anyuid"}, "allowPrivilegedContainer": true}
}
