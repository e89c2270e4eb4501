# METADATA
# title: Containers are not privileged
# description: |
#   A privileged container runs with every capability, sees every device of
#   the node and is not confined by seccomp, AppArmor or SELinux: root in it
#   is root on the node. Only node agents (CNI, storage and device plugins)
#   need it. On Windows, a HostProcess container (windowsOptions.hostProcess)
#   is the same: it runs as a process on the node, outside any container
#   isolation. Matches kube-linter's privileged-container, kube-score's
#   container-security-context-privileged and Polaris' runAsPrivileged and
#   hostProcess. On OpenShift, a SecurityContextConstraints with
#   allowPrivilegedContainer lets every pod admitted under it be
#   privileged (kube-linter's scc-deny-privileged-container).
# custom:
#   id: privileged-container
#   severity: error
#   remediation: Remove privileged, or set it to false; grant the one capability the process needs instead (capabilities.add).
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, security.openshift.io/SecurityContextConstraints]
package kubegate.rules.privileged_container

import data.lib.kubegate

deny contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["securityContext", "privileged"])} if {
	some ref in kubegate.container_refs
	kubegate.container(ref).securityContext.privileged == true
	msg := sprintf("container %q is privileged: it has every capability and the node's devices, so root in it is root on the node", [kubegate.container_name(ref)])
}

deny contains {"msg": msg, "path": kubegate.security_path(ref, "windowsOptions")} if {
	some ref in kubegate.container_refs
	opts := kubegate.security_value(ref, "windowsOptions")
	is_object(opts)
	opts.hostProcess == true
	msg := sprintf("container %q is a Windows HostProcess container: it runs directly on the node with the node's privileges", [kubegate.container_name(ref)])
}

deny contains {"msg": msg, "path": ["allowPrivilegedContainer"]} if {
	input.kind == "SecurityContextConstraints"
	input.allowPrivilegedContainer == true
	msg := sprintf("SecurityContextConstraints %q allows privileged containers: every pod admitted under it may be root on its node", [input.metadata.name])
}
