package kubegate.rules.host_path_test

import data.kubegate.rules.host_path

pod(path, ro) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {
	"containers": [{"name": "app", "image": "x", "volumeMounts": [{"name": "h", "mountPath": "/h", "readOnly": ro}]}],
	"volumes": [{"name": "h", "hostPath": {"path": path}}],
}}

test_docker_sock_is_an_error if {
	some f in host_path.deny with input as pod("/var/run/docker.sock", true)
	f.path == ["spec", "volumes", 0, "hostPath", "path"]
}

test_parent_of_socket_is_an_error if {
	some f in host_path.deny with input as pod("/var/run/", true)
	contains(f.msg, "/var/run/docker.sock")
}

test_under_etc_is_an_error if {
	count(host_path.deny) == 1 with input as pod("/etc//ssl", true)
	count(host_path.deny) == 1 with input as pod("/", true)
}

test_other_path_warns if {
	count(host_path.deny) == 0 with input as pod("/data/cache", true)
	count(host_path.warn) == 1 with input as pod("/data/cache", true)
	count(host_path.warn) == 2 with input as pod("/data/cache", false)
}

test_no_hostpath_passes if {
	count(host_path.warn) == 0 with input as {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "x"}], "volumes": [{"name": "e", "emptyDir": {}}]}}
}

test_etcetera_is_not_etc if {
	count(host_path.deny) == 0 with input as pod("/etcetera", true)
}
