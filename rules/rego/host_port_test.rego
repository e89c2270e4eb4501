package kubegate.rules.host_port_test

import data.kubegate.rules.host_port

pod(ports) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "app", "image": "x", "ports": ports}]}}

test_host_port_fails if {
	some f in host_port.deny with input as pod([{"containerPort": 8080, "hostPort": 8080}])
	f.path == ["spec", "containers", 0, "ports", 0, "hostPort"]
}

test_low_ports_warn if {
	count(host_port.warn) == 2 with input as pod([{"containerPort": 22}, {"containerPort": 80}, {"containerPort": 8080}])
}

test_plain_port_passes if {
	count(host_port.deny) == 0 with input as pod([{"containerPort": 8080}])
	count(host_port.warn) == 0 with input as pod([{"containerPort": 8080}])
}
