package kubegate.rules.host_namespaces_test

import data.kubegate.rules.host_namespaces

test_host_network_fails if {
	d := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {"spec": {"hostNetwork": true, "hostPID": false, "containers": []}}}}
	fs := host_namespaces.deny with input as d
	count(fs) == 1
	some f in fs
	f.path == ["spec", "template", "spec", "hostNetwork"]
}

test_unset_passes if {
	count(host_namespaces.deny) == 0 with input as {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": []}}
}
