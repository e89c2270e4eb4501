# METADATA
# title: Images are pinned to a version
# description: |
#   An image without a tag means :latest, and :latest (like any tag that is
#   moved) runs whatever was pushed last: two pods of one Deployment can run
#   different code, and a rollback does not roll anything back. A digest
#   (@sha256:...) pins the image exactly; a version tag pins it as long as
#   nobody pushes over it. A registry port (registry:5000/app) is not a
#   tag. Matches kube-linter's latest-tag, kube-score's container-image-tag
#   and Polaris' tagNotSpecified.
# custom:
#   id: image-tag
#   severity: warning
#   remediation: Use a version tag (app:1.4.2), or better a digest (app@sha256:...), that you never push over.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.image_tag

import data.lib.kubegate

deny contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["image"])} if {
	some ref in kubegate.container_refs
	image := kubegate.container(ref).image
	is_string(image)
	image != ""
	ir := kubegate.image_ref(image)
	ir.digest == ""
	ir.tag in {"", "latest"}
	msg := message(ref, image, ir.tag)
}

message(ref, image, tag) := sprintf("container %q uses image %q with no tag, which means :latest; pin a version or a digest", [kubegate.container_name(ref), image]) if {
	tag == ""
} else := sprintf("container %q uses image %q: :latest moves with every push; pin a version or a digest", [kubegate.container_name(ref), image])
