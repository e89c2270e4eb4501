# METADATA
# title: Containers run with a user and group ID above 10000
# description: |
#   A UID or GID below 10000 may coincide with a user of the node (system
#   accounts and the first human users), which matters if the container
#   ever escapes its namespaces or shares a hostPath. Off by default: most
#   images use lower IDs and user namespaces remove the risk. Matches
#   kube-score's container-security-context-user-group-id.
# custom:
#   id: run-as-high-uid
#   severity: warning
#   remediation: Set runAsUser and runAsGroup to values above 10000 (and build the image with such a user).
#   disabled: true
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.run_as_high_uid

import data.lib.kubegate

deny contains {"msg": msg, "path": kubegate.security_path(ref, field)} if {
	kubegate.linux_pod
	some ref in kubegate.container_refs
	some field in ["runAsUser", "runAsGroup"]
	id := kubegate.security_value(ref, field)
	not high(id)
	msg := sprintf("container %q has %s %v; use an ID above 10000", [kubegate.container_name(ref), field, show(id)])
}

high(id) if {
	is_number(id)
	id > 10000
}

show(id) := "unset" if id == null else := id
