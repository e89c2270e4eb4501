# METADATA
# title: Containers request CPU and memory
# description: |
#   The scheduler places a pod by its requests. A container without a CPU
#   request can be packed onto a busy node and gets the smallest CPU share
#   under contention; without a memory request the node can be
#   overcommitted until the kubelet evicts pods. When a limit is set and
#   the request is not, the API server copies the limit into the request,
#   so only a container with neither is reported. A pod-level request
#   (spec.resources, 1.32 and later) covers its containers. Matches
#   kube-linter's unset-cpu-requirements and unset-memory-requirements,
#   kube-score's container-resources and Polaris' cpuRequestsMissing and
#   memoryRequestsMissing.
# custom:
#   id: resource-requests
#   severity: warning
#   remediation: Set resources.requests.cpu and resources.requests.memory from the container's measured use.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.resource_requests

import data.lib.kubegate

deny contains {"msg": msg, "path": path} if {
	some ref in kubegate.container_refs
	res := object.get(kubegate.container(ref), "resources", {})
	some r in ["cpu", "memory"]
	object.get(res, ["requests", r], null) == null
	object.get(res, ["limits", r], null) == null
	object.get(kubegate.pod_spec, ["resources", "requests", r], null) == null
	object.get(kubegate.pod_spec, ["resources", "limits", r], null) == null
	path := resources_path(ref)
	msg := sprintf("container %q requests no %s, so the scheduler places it as if it needed none", [kubegate.container_name(ref), r])
}

resources_path(ref) := array.concat(kubegate.container_path(ref), ["resources", "requests"]) if {
	is_object(kubegate.container(ref).resources.requests)
} else := array.concat(kubegate.container_path(ref), ["resources"]) if {
	is_object(kubegate.container(ref).resources)
} else := kubegate.container_path(ref)
