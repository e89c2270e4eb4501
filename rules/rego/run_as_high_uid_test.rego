package kubegate.rules.run_as_high_uid_test

import data.kubegate.rules.run_as_high_uid

pod(sc) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"securityContext": sc, "containers": [{"name": "a", "image": "x"}]}}

test_low_fails if {
	count(run_as_high_uid.deny) == 2 with input as pod({"runAsUser": 1000})
}

test_high_passes if {
	count(run_as_high_uid.deny) == 0 with input as pod({"runAsUser": 10001, "runAsGroup": 10001})
}
