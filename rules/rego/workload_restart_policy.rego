# METADATA
# title: Long-running workloads restart Always
# description: |
#   Deployments, StatefulSets, DaemonSets, ReplicaSets and
#   ReplicationControllers keep their pods running forever; the API server
#   accepts only restartPolicy Always in their pod templates (the default
#   when the field is left out).
# custom:
#   id: workload-restart-policy
#   severity: error
#   remediation: Remove restartPolicy from the pod template or set it to Always; use a Job for work that should finish.
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController]
package kubegate.rules.workload_restart_policy

import data.lib.kubegate

deny contains {"msg": msg, "path": array.concat(kubegate.pod_spec_path, ["restartPolicy"])} if {
	kubegate.long_running_kinds[input.kind]
	rp := kubegate.pod_spec.restartPolicy
	rp in {"OnFailure", "Never"}
	msg := sprintf("%s pod template has restartPolicy %s; the API server accepts only Always for a %s", [input.kind, rp, input.kind])
}
