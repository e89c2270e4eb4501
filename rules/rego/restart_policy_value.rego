# METADATA
# title: restartPolicy is Always, OnFailure or Never
# description: |
#   A pod's restartPolicy has three legal values; the API server rejects any
#   other ("Unsupported value"), including a different capitalisation.
# custom:
#   id: restart-policy-value
#   severity: error
#   remediation: Use Always, OnFailure or Never, spelled exactly so.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.restart_policy_value

import data.lib.kubegate

allowed := {"Always", "OnFailure", "Never"}

deny contains {"msg": msg, "path": array.concat(kubegate.pod_spec_path, ["restartPolicy"])} if {
	rp := kubegate.pod_spec.restartPolicy
	rp != null
	not allowed[rp]
	msg := sprintf("restartPolicy %v is not Always, OnFailure or Never", [rp])
}
