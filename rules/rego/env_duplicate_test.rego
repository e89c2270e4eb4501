package kubegate.rules.env_duplicate_test

import data.kubegate.rules.env_duplicate

pod(env) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "x", "env": env}]}}

test_duplicates_fail if {
	fs := env_duplicate.deny with input as pod([{"name": "A", "value": "1"}, {"name": "B"}, {"name": "A", "value": "2"}, {"name": "A", "value": "3"}])
	count(fs) == 2
	some f in fs
	f.path == ["spec", "containers", 0, "env", 2, "name"]
}

test_unique_passes if {
	count(env_duplicate.deny) == 0 with input as pod([{"name": "A"}, {"name": "B"}])
}
