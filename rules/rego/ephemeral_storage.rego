# METADATA
# title: Containers request and limit ephemeral storage
# description: |
#   Logs, emptyDir volumes without a medium and the container's writable
#   layer use the node's disk. Without an ephemeral-storage limit one
#   container can fill it, and the kubelet then evicts pods under disk
#   pressure; without a request the scheduler does not count the space.
#   Off by default, as in kube-score (container-ephemeral-storage-request-and-limit).
# custom:
#   id: ephemeral-storage
#   severity: warning
#   disabled: true
#   remediation: Set resources.requests and resources.limits for ephemeral-storage on each container.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.ephemeral_storage

import data.lib.kubegate

deny contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["resources"])} if {
	some ref in kubegate.container_refs
	some kind in ["requests", "limits"]
	object.get(kubegate.container(ref), ["resources", kind, "ephemeral-storage"], null) == null
	msg := sprintf("container %q sets no ephemeral-storage %s", [kubegate.container_name(ref), kind])
}
