# METADATA
# title: Job pods restart OnFailure or Never
# description: |
#   A Job's pods run to completion, so the API server accepts only
#   restartPolicy OnFailure or Never in a Job or CronJob pod template. A
#   template that sets Always, or sets nothing (the pod default is Always),
#   is rejected.
# custom:
#   id: job-restart-policy
#   severity: error
#   remediation: Set restartPolicy to OnFailure (retry in the same pod) or Never (a new pod per retry, counted against backoffLimit).
#   kinds: [Job, CronJob]
package kubegate.rules.job_restart_policy

import data.lib.kubegate

deny contains {"msg": msg, "path": array.concat(kubegate.pod_spec_path, ["restartPolicy"])} if {
	kubegate.job_kinds[input.kind]
	kubegate.pod_spec.restartPolicy == "Always"
	msg := sprintf("%s pod template has restartPolicy Always; the API server accepts only OnFailure or Never for Jobs", [input.kind])
}

deny contains {"msg": msg, "path": kubegate.pod_spec_path} if {
	kubegate.job_kinds[input.kind]
	not kubegate.pod_spec.restartPolicy
	msg := sprintf("%s pod template sets no restartPolicy; it defaults to Always, which the API server rejects for Jobs", [input.kind])
}
