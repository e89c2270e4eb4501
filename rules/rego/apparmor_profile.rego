# METADATA
# title: Containers are not AppArmor-unconfined
# description: |
#   On nodes with AppArmor the runtime confines every container with its
#   default profile unless told otherwise. securityContext.appArmorProfile
#   type Unconfined (Kubernetes 1.30 and later; the container's setting
#   wins over the pod's) or the deprecated annotation
#   container.apparmor.security.beta.kubernetes.io/<container>: unconfined
#   turns that off. Matches the AppArmor part of Polaris' linuxHardening.
# custom:
#   id: apparmor-profile
#   severity: warning
#   remediation: Remove the Unconfined AppArmor profile; use RuntimeDefault or a Localhost profile written for the application.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.apparmor_profile

import data.lib.kubegate

annotation_prefix := "container.apparmor.security.beta.kubernetes.io/"

deny contains {"msg": msg, "path": array.concat(kubegate.security_path(ref, "appArmorProfile"), ["type"])} if {
	kubegate.linux_pod
	some ref in kubegate.container_refs
	profile := kubegate.security_value(ref, "appArmorProfile")
	is_object(profile)
	profile.type == "Unconfined"
	msg := sprintf("container %q runs AppArmor-unconfined", [kubegate.container_name(ref)])
}

deny contains {"msg": msg, "path": array.concat(meta_path, ["metadata", "annotations", key])} if {
	kubegate.linux_pod
	meta_path := array.slice(kubegate.pod_spec_path, 0, count(kubegate.pod_spec_path) - 1)
	annotations := object.get(input, array.concat(meta_path, ["metadata", "annotations"]), {})
	some key, value in annotations
	startswith(key, annotation_prefix)
	value == "unconfined"
	msg := sprintf("container %q runs AppArmor-unconfined (annotation %s, deprecated since 1.30 in favour of securityContext.appArmorProfile)", [substring(key, count(annotation_prefix), -1), key])
}
