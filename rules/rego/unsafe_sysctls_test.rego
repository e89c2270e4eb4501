package kubegate.rules.unsafe_sysctls_test

import data.kubegate.rules.unsafe_sysctls

pod(sysctls) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"securityContext": {"sysctls": sysctls}, "containers": [{"name": "a", "image": "x"}]}}

test_unsafe_fails if {
	some f in unsafe_sysctls.deny with input as pod([{"name": "net.ipv4.tcp_syncookies", "value": "1"}, {"name": "kernel.msgmax", "value": "65536"}])
	f.path == ["spec", "securityContext", "sysctls", 1, "name"]
}

test_safe_passes if {
	count(unsafe_sysctls.deny) == 0 with input as pod([{"name": "net/ipv4/ip_local_port_range", "value": "1024 65000"}])
}
