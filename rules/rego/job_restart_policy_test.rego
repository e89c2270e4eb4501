package kubegate.rules.job_restart_policy_test

import data.kubegate.rules.job_restart_policy

job(spec) := {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"}, "spec": {"template": {"spec": spec}}}

test_always_is_denied if {
	some f in job_restart_policy.deny with input as job({"restartPolicy": "Always", "containers": []})
	f.path == ["spec", "template", "spec", "restartPolicy"]
}

test_unset_is_denied if {
	some f in job_restart_policy.deny with input as job({"containers": []})
	f.path == ["spec", "template", "spec"]
}

test_never_and_onfailure_pass if {
	count(job_restart_policy.deny) == 0 with input as job({"restartPolicy": "Never", "containers": []})
	count(job_restart_policy.deny) == 0 with input as job({"restartPolicy": "OnFailure", "containers": []})
}

test_cronjob if {
	cj := {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": "c"}, "spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": []}}}}}}
	count(job_restart_policy.deny) == 1 with input as cj
}

test_bare_pod_is_not_a_job if {
	pod := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": []}}
	count(job_restart_policy.deny) == 0 with input as pod
}
