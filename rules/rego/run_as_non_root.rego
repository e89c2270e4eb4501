# METADATA
# title: Containers run as a non-root user
# description: |
#   A container runs as the image's user unless runAsUser says otherwise,
#   and many images say root. runAsNonRoot true makes the kubelet refuse to
#   start a container that would run as UID 0. The container's
#   securityContext wins over the pod's for runAsUser and runAsNonRoot.
#   Windows pods use windowsOptions.runAsUserName instead and are skipped.
#   Matches kube-linter's run-as-non-root and Polaris' runAsRootAllowed.
# custom:
#   id: run-as-non-root
#   severity: warning
#   remediation: Set runAsNonRoot true and a non-zero runAsUser in the pod's securityContext (or each container's), and build the image with a non-root USER.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.run_as_non_root

import data.lib.kubegate

deny contains {"msg": msg, "path": kubegate.security_path(ref, "runAsUser")} if {
	kubegate.linux_pod
	some ref in kubegate.container_refs
	kubegate.security_value(ref, "runAsUser") == 0
	msg := sprintf("container %q runs as root: runAsUser is 0", [kubegate.container_name(ref)])
}

deny contains {"msg": msg, "path": kubegate.security_path(ref, "runAsNonRoot")} if {
	kubegate.linux_pod
	some ref in kubegate.container_refs
	not nonzero(kubegate.security_value(ref, "runAsUser"))
	kubegate.security_value(ref, "runAsUser") != 0
	kubegate.security_value(ref, "runAsNonRoot") != true
	msg := sprintf("container %q may run as root: neither runAsNonRoot true nor a non-zero runAsUser is set, so the image's user (often root) is used", [kubegate.container_name(ref)])
}

nonzero(uid) if {
	is_number(uid)
	uid > 0
}
