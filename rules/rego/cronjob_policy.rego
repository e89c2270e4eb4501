# METADATA
# title: CronJobs say how to handle overlaps and missed runs
# description: |
#   concurrencyPolicy defaults to Allow: when a run takes longer than the
#   interval, the next one starts beside it, and a stuck job piles up
#   copies. startingDeadlineSeconds bounds how late a missed run may still
#   start; without it, a controller that was down sees every missed
#   schedule since the last run, and after more than 100 it stops
#   scheduling the CronJob altogether. The controller checks schedules
#   about every 10 seconds, so a deadline below 10 can skip runs. Matches
#   kube-score's cronjob-has-deadline.
# custom:
#   id: cronjob-policy
#   severity: warning
#   remediation: Set concurrencyPolicy to Forbid (or Replace), and startingDeadlineSeconds to how late a run may still be useful (at least 10; for example 300).
#   kinds: [batch/CronJob]
package kubegate.rules.cronjob_policy

deny contains {"msg": msg, "path": ["spec"]} if {
	not input.spec.concurrencyPolicy
	msg := "concurrencyPolicy is not set and defaults to Allow: a run that overruns the schedule gets a second copy beside it"
}

deny contains {"msg": msg, "path": ["spec"]} if {
	not is_number(object.get(input, ["spec", "startingDeadlineSeconds"], null))
	msg := "startingDeadlineSeconds is not set: after more than 100 missed schedules (for example while the controller is down) the CronJob stops being scheduled"
}

deny contains {"msg": msg, "path": ["spec", "startingDeadlineSeconds"]} if {
	input.spec.startingDeadlineSeconds < 10
	msg := sprintf("startingDeadlineSeconds is %v: the controller checks about every 10 seconds, so runs may be skipped", [input.spec.startingDeadlineSeconds])
}
