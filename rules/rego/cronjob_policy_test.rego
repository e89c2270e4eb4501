package kubegate.rules.cronjob_policy_test

import data.kubegate.rules.cronjob_policy

test_unset if {
	count(cronjob_policy.deny) == 2 with input as {"kind": "CronJob", "spec": {}}
}

test_short_deadline if {
	count(cronjob_policy.deny) == 1 with input as {"kind": "CronJob", "spec": {"concurrencyPolicy": "Forbid", "startingDeadlineSeconds": 5}}
}

test_set if {
	count(cronjob_policy.deny) == 0 with input as {"kind": "CronJob", "spec": {"concurrencyPolicy": "Allow", "startingDeadlineSeconds": 300}}
}
