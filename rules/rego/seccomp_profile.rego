# METADATA
# title: Containers run with a seccomp profile
# description: |
#   seccomp filters the system calls a process may make. Unless the pod or
#   the container sets seccompProfile, the kubelet runs the container
#   Unconfined (the kubelet's SeccompDefault setting, off by default,
#   changes that per node), with every system call allowed.
#   RuntimeDefault (the runtime's profile) or a Localhost profile confine
#   it; the container's setting wins over the pod's. Windows pods are
#   skipped. Matches kube-score's container-seccomp-profile and the seccomp
#   part of Polaris' linuxHardening.
# custom:
#   id: seccomp-profile
#   severity: warning
#   remediation: Set securityContext.seccompProfile.type to RuntimeDefault in the pod spec (or Localhost with a profile of your own).
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.seccomp_profile

import data.lib.kubegate

deny contains {"msg": msg, "path": array.concat(kubegate.security_path(ref, "seccompProfile"), suffix)} if {
	kubegate.linux_pod
	some ref in kubegate.container_refs
	profile := as_object(kubegate.security_value(ref, "seccompProfile"))
	object.get(profile, "type", "Unconfined") == "Unconfined"
	suffix := type_suffix(profile)
	msg := message(ref, profile)
}

as_object(x) := x if {
	is_object(x)
} else := {}

type_suffix(profile) := ["type"] if {
	is_string(profile.type)
} else := []

message(ref, profile) := sprintf("container %q runs without a seccomp profile (Unconfined): every system call is allowed", [kubegate.container_name(ref)]) if {
	profile.type == "Unconfined"
} else := sprintf("container %q sets no seccomp profile, so it runs Unconfined on nodes with the kubelet's defaults", [kubegate.container_name(ref)])
