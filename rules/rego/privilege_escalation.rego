# METADATA
# title: Containers cannot gain privileges
# description: |
#   allowPrivilegeEscalation controls the no_new_privs flag of the
#   container's process: unless it is false, a setuid binary or file
#   capabilities in the image can give a process more privileges than its
#   parent. It defaults to true, and it is always true for a privileged
#   container or one that adds CAP_SYS_ADMIN. Windows pods do not have it.
#   Matches kube-linter's privilege-escalation-container and Polaris'
#   privilegeEscalationAllowed.
# custom:
#   id: privilege-escalation
#   severity: warning
#   remediation: Set securityContext.allowPrivilegeEscalation to false in every container.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.privilege_escalation

import data.lib.kubegate

deny contains {"msg": msg, "path": kubegate.container_security_path(ref, "allowPrivilegeEscalation")} if {
	kubegate.linux_pod
	some ref in kubegate.container_refs
	sc := object.get(kubegate.container(ref), "securityContext", {})
	object.get(sc, "allowPrivilegeEscalation", null) != false
	msg := message(ref, sc)
}

message(ref, sc) := sprintf("container %q allows privilege escalation: allowPrivilegeEscalation is true, so setuid binaries can raise its privileges", [kubegate.container_name(ref)]) if {
	sc.allowPrivilegeEscalation == true
} else := sprintf("container %q allows privilege escalation: allowPrivilegeEscalation is not set and defaults to true, so setuid binaries can raise its privileges", [kubegate.container_name(ref)])
