# METADATA
# title: Containers keep /proc masked
# description: |
#   procMount Unmasked turns off the runtime's masking of sensitive paths
#   under /proc (such as /proc/kcore and /proc/sys), which is only needed
#   by nested container runtimes. Matches kube-linter's unsafe-proc-mount
#   and Polaris' procMount.
# custom:
#   id: proc-mount
#   severity: warning
#   remediation: Remove procMount or set it to Default.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.proc_mount

import data.lib.kubegate

deny contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["securityContext", "procMount"])} if {
	some ref in kubegate.container_refs
	kubegate.container(ref).securityContext.procMount == "Unmasked"
	msg := sprintf("container %q sees /proc unmasked, including the node's kernel interfaces", [kubegate.container_name(ref)])
}
