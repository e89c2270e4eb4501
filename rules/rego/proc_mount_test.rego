package kubegate.rules.proc_mount_test

import data.kubegate.rules.proc_mount

pod(pm) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "x", "securityContext": {"procMount": pm}}]}}

test_unmasked_fails if {
	count(proc_mount.deny) == 1 with input as pod("Unmasked")
}

test_default_passes if {
	count(proc_mount.deny) == 0 with input as pod("Default")
}
