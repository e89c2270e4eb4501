package kubegate.rules.probe_handlers_test

import data.kubegate.rules.probe_handlers

pod(probe) := {
	"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
	"spec": {"containers": [{"name": "app", "image": "x", "livenessProbe": probe}]},
}

test_one_handler_passes if {
	count(probe_handlers.deny) == 0 with input as pod({"httpGet": {"port": 80}})
}

test_two_handlers_fail if {
	some f in probe_handlers.deny with input as pod({"httpGet": {"port": 80}, "tcpSocket": {"port": 80}})
	f.path == ["spec", "containers", 0, "livenessProbe"]
	contains(f.msg, "2 handlers (httpGet, tcpSocket)")
}

test_no_handler_fails if {
	some f in probe_handlers.deny with input as pod({"periodSeconds": 5})
	contains(f.msg, "has no handler")
}

test_cronjob_path if {
	cj := {
		"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"},
		"spec": {"jobTemplate": {"spec": {"template": {"spec": {
			"restartPolicy": "Never",
			"containers": [{"name": "a", "readinessProbe": {"exec": {"command": ["x"]}, "grpc": {"port": 1}}}],
		}}}}},
	}
	some f in probe_handlers.deny with input as cj
	f.path == ["spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "readinessProbe"]
}
