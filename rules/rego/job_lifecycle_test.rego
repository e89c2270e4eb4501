package kubegate.rules.job_lifecycle_test

import data.kubegate.rules.job_lifecycle

test_bare_job if {
	count(job_lifecycle.deny) == 2 with input as {"kind": "Job", "spec": {"template": {}}}
}

test_configured_job if {
	count(job_lifecycle.deny) == 0 with input as {"kind": "Job", "spec": {"ttlSecondsAfterFinished": 60, "backoffLimit": 2}}
}

test_cronjob_backoff if {
	count(job_lifecycle.deny) == 1 with input as {"kind": "CronJob", "spec": {"jobTemplate": {"spec": {}}}}
}
