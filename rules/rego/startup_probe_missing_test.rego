package kubegate.rules.startup_probe_missing_test

import data.kubegate.rules.startup_probe_missing

dep(c) := {"kind": "Deployment", "spec": {"template": {"spec": {"containers": [c]}}}}

test_missing if {
	count(startup_probe_missing.deny) == 1 with input as dep({"name": "c", "livenessProbe": {"httpGet": {"port": 8080}}})
}

test_present if {
	count(startup_probe_missing.deny) == 0 with input as dep({"name": "c", "livenessProbe": {"httpGet": {"port": 8080}}, "startupProbe": {"httpGet": {"port": 8080}}})
}

test_no_liveness if {
	count(startup_probe_missing.deny) == 0 with input as dep({"name": "c"})
}
