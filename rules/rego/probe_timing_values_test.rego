package kubegate.rules.probe_timing_values_test

import data.kubegate.rules.probe_timing_values

pod(probe) := {
	"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
	"spec": {"containers": [{"name": "app", "readinessProbe": probe}]},
}

test_negative_is_denied if {
	some f in probe_timing_values.deny with input as pod({"exec": {"command": ["x"]}, "periodSeconds": -1})
	f.path == ["spec", "containers", 0, "readinessProbe", "periodSeconds"]
}

test_zero_is_a_warning if {
	count(probe_timing_values.deny) == 0 with input as pod({"exec": {"command": ["x"]}, "timeoutSeconds": 0})
	some f in probe_timing_values.warn with input as pod({"exec": {"command": ["x"]}, "timeoutSeconds": 0})
	contains(f.msg, "default 1")
}

test_initial_delay_zero_is_fine if {
	count(probe_timing_values.warn) == 0 with input as pod({"exec": {"command": ["x"]}, "initialDelaySeconds": 0})
}

test_grace_period_must_be_positive if {
	count(probe_timing_values.deny) == 1 with input as pod({"exec": {"command": ["x"]}, "terminationGracePeriodSeconds": 0})
}

test_positive_values_pass if {
	p := pod({"exec": {"command": ["x"]}, "timeoutSeconds": 2, "periodSeconds": 5, "failureThreshold": 3, "successThreshold": 1})
	count(probe_timing_values.deny) == 0 with input as p
	count(probe_timing_values.warn) == 0 with input as p
}
