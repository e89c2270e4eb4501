# METADATA
# title: Containers have a read-only root filesystem
# description: |
#   With readOnlyRootFilesystem true nothing in the container can change
#   its own binaries or drop tools into the image's directories; the
#   process writes to the volumes it mounts (an emptyDir for /tmp). It
#   also keeps writes off the node's container storage. Windows pods are
#   skipped. Matches kube-linter's no-read-only-root-fs, kube-score's
#   container-security-context-readonlyrootfilesystem and Polaris'
#   notReadOnlyRootFilesystem.
# custom:
#   id: read-only-root-filesystem
#   severity: warning
#   remediation: Set securityContext.readOnlyRootFilesystem to true and mount an emptyDir where the process must write (for example /tmp).
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.read_only_root_filesystem

import data.lib.kubegate

deny contains {"msg": msg, "path": kubegate.container_security_path(ref, "readOnlyRootFilesystem")} if {
	kubegate.linux_pod
	some ref in kubegate.container_refs
	object.get(kubegate.container(ref), ["securityContext", "readOnlyRootFilesystem"], false) != true
	msg := sprintf("container %q can write to its root filesystem; set readOnlyRootFilesystem to true", [kubegate.container_name(ref)])
}
