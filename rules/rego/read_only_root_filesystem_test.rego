package kubegate.rules.read_only_root_filesystem_test

import data.kubegate.rules.read_only_root_filesystem

pod(sc) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "image": "x", "securityContext": sc}]}}

test_read_only_passes if {
	count(read_only_root_filesystem.deny) == 0 with input as pod({"readOnlyRootFilesystem": true})
}

test_writable_fails if {
	some f in read_only_root_filesystem.deny with input as pod({"readOnlyRootFilesystem": false})
	f.path == ["spec", "containers", 0, "securityContext", "readOnlyRootFilesystem"]
	some g in read_only_root_filesystem.deny with input as pod({})
	g.path == ["spec", "containers", 0, "securityContext"]
}
