# METADATA
# title: imagePullPolicy fits the image reference
# description: |
#   When imagePullPolicy is unset the API server sets it to Always for an
#   untagged or :latest image and to IfNotPresent otherwise. Two
#   combinations surprise: a moving tag with IfNotPresent (or Never) keeps
#   whatever image a node pulled first, so nodes run different code under
#   one name; and Never fails on every node that has not been preloaded.
#   A pinned tag or digest with Always is not reported: it is safe, only
#   dependent on the registry at every start. Covers kube-score's
#   container-image-pull-policy and Polaris' pullPolicyNotAlways in intent
#   (both want Always with a moving tag).
# custom:
#   id: image-pull-policy
#   severity: warning
#   remediation: Pin the image to a version or digest and leave imagePullPolicy unset (IfNotPresent), or use Always with a moving tag.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.image_pull_policy

import data.lib.kubegate

deny contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["imagePullPolicy"])} if {
	some ref in kubegate.container_refs
	c := kubegate.container(ref)
	is_string(c.image)
	c.imagePullPolicy in {"IfNotPresent", "Never"}
	kubegate.pull_policy_default(c.image) == "Always"
	msg := sprintf("container %q pulls %q with imagePullPolicy %s: a node keeps whatever that moving tag meant when it first pulled it, so nodes run different images", [kubegate.container_name(ref), c.image, c.imagePullPolicy])
}

deny contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["imagePullPolicy"])} if {
	some ref in kubegate.container_refs
	c := kubegate.container(ref)
	is_string(c.image)
	c.imagePullPolicy == "Never"
	kubegate.pull_policy_default(c.image) == "IfNotPresent"
	msg := sprintf("container %q has imagePullPolicy Never: it starts only on nodes where %q was preloaded", [kubegate.container_name(ref), c.image])
}
