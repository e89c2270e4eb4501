# METADATA
# title: Containers have a CPU limit
# description: |
#   Without a CPU limit a container may use every idle core of the node.
#   That is often what you want (CPU is throttled, not killed, and limits
#   cause throttling even on idle nodes), so this rule is off by default;
#   turn it on where tenants must not borrow each other's CPU. Matches
#   Polaris' cpuLimitsMissing and the CPU part of kube-score's
#   container-resources.
# custom:
#   id: cpu-limit
#   severity: warning
#   disabled: true
#   remediation: Set resources.limits.cpu on the container.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.cpu_limit

import data.lib.kubegate

deny contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["resources"])} if {
	some ref in kubegate.container_refs
	object.get(kubegate.container(ref), ["resources", "limits", "cpu"], null) == null
	object.get(kubegate.pod_spec, ["resources", "limits", "cpu"], null) == null
	msg := sprintf("container %q has no CPU limit", [kubegate.container_name(ref)])
}
