# METADATA
# title: Jobs clean up after themselves and bound their retries
# description: |
#   A finished Job and its pods stay in the cluster until someone deletes
#   them, unless ttlSecondsAfterFinished is set (CronJobs instead keep
#   successfulJobsHistoryLimit and failedJobsHistoryLimit Jobs, so their
#   templates are not reported). backoffLimit defaults to 6 retries with an
#   exponential back-off that can stretch a failing Job over many minutes;
#   say how many retries the work deserves. Matches kube-linter's
#   job-ttl-seconds-after-finished.
# custom:
#   id: job-lifecycle
#   severity: info
#   remediation: Set ttlSecondsAfterFinished (for example 86400) and an explicit backoffLimit.
#   kinds: [batch/Job, batch/CronJob]
package kubegate.rules.job_lifecycle

deny contains {"msg": msg, "path": ["spec"]} if {
	input.kind == "Job"
	not is_number(object.get(input, ["spec", "ttlSecondsAfterFinished"], null))
	msg := "the Job sets no ttlSecondsAfterFinished: it and its pods stay in the cluster until deleted by hand"
}

job_spec_path := {"Job": ["spec"], "CronJob": ["spec", "jobTemplate", "spec"]}

deny contains {"msg": msg, "path": path} if {
	path := job_spec_path[input.kind]
	spec := object.get(input, path, {})
	is_object(spec)
	not is_number(object.get(spec, "backoffLimit", null))
	not is_number(object.get(spec, "backoffLimitPerIndex", null))
	msg := "backoffLimit is not set: a failing pod is retried 6 times, with back-off delays of up to 6 minutes"
}
