# METADATA
# title: Images are pinned by digest
# description: |
#   A tag is a movable pointer: whoever can push to the repository can
#   change what v1.2.3 runs, and nodes that pulled it earlier keep the old
#   image, so replicas of one Deployment may run different code. A digest
#   (image@sha256:...) names exactly one image, which is what supply-chain
#   policies and reproducible rollbacks need. Off by default: most teams
#   pin tags and let a tool such as Renovate manage digests. Matches
#   kube-linter's image-not-pinned-by-digest.
# custom:
#   id: image-digest
#   severity: warning
#   disabled: true
#   remediation: Reference the image as name:tag@sha256:<digest>, for example with crane digest or your registry's UI.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.image_digest

import data.lib.kubegate

deny contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["image"])} if {
	some ref in kubegate.container_refs
	image := object.get(kubegate.container(ref), "image", "")
	image != ""
	not contains(image, "@sha256:")
	msg := sprintf("container %q runs image %q by tag, not by digest: what it runs can change under the same name", [kubegate.container_name(ref), image])
}
