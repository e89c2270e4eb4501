package kubegate.rules.probe_success_threshold_test

import data.kubegate.rules.probe_success_threshold

deploy(container) := {
	"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
	"spec": {"template": {"spec": {"containers": [container]}}},
}

test_liveness_above_one_fails if {
	some f in probe_success_threshold.deny with input as deploy({"name": "a", "livenessProbe": {"tcpSocket": {"port": 1}, "successThreshold": 2}})
	f.path == ["spec", "template", "spec", "containers", 0, "livenessProbe", "successThreshold"]
	f.msg == `liveness probe of container "a": successThreshold must be 1, not 2`
}

test_startup_above_one_fails if {
	count(probe_success_threshold.deny) == 1 with input as deploy({"name": "a", "startupProbe": {"tcpSocket": {"port": 1}, "successThreshold": 3}})
}

test_readiness_may_be_above_one if {
	count(probe_success_threshold.deny) == 0 with input as deploy({"name": "a", "readinessProbe": {"tcpSocket": {"port": 1}, "successThreshold": 3}})
}

test_one_passes if {
	count(probe_success_threshold.deny) == 0 with input as deploy({"name": "a", "livenessProbe": {"tcpSocket": {"port": 1}, "successThreshold": 1}})
}
