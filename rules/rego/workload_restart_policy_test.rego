package kubegate.rules.workload_restart_policy_test

import data.kubegate.rules.workload_restart_policy

workload(kind, spec) := {"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": "w"}, "spec": {"template": {"spec": spec}}}

test_onfailure_is_denied if {
	some f in workload_restart_policy.deny with input as workload("StatefulSet", {"restartPolicy": "OnFailure", "containers": []})
	f.path == ["spec", "template", "spec", "restartPolicy"]
}

test_always_and_unset_pass if {
	count(workload_restart_policy.deny) == 0 with input as workload("Deployment", {"restartPolicy": "Always", "containers": []})
	count(workload_restart_policy.deny) == 0 with input as workload("DaemonSet", {"containers": []})
}

test_job_is_not_a_workload if {
	count(workload_restart_policy.deny) == 0 with input as workload("Job", {"restartPolicy": "Never", "containers": []})
}
