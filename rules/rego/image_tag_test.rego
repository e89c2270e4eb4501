package kubegate.rules.image_tag_test

import data.kubegate.rules.image_tag
import data.lib.kubegate

pod(image) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": image}]}}

test_refs if {
	kubegate.image_ref("registry:5000/team/app") == {"name": "registry:5000/team/app", "tag": "", "digest": ""}
	kubegate.image_ref("registry:5000/team/app:1.2") == {"name": "registry:5000/team/app", "tag": "1.2", "digest": ""}
	kubegate.image_ref("app@sha256:abc") == {"name": "app", "tag": "", "digest": "sha256:abc"}
	kubegate.image_ref("app:1.0@sha256:abc") == {"name": "app", "tag": "1.0", "digest": "sha256:abc"}
}

test_moving_tags_fail if {
	count(image_tag.deny) == 1 with input as pod("nginx")
	count(image_tag.deny) == 1 with input as pod("nginx:latest")
	count(image_tag.deny) == 1 with input as pod("registry:5000/nginx")
}

test_pinned_passes if {
	count(image_tag.deny) == 0 with input as pod("nginx:1.27.2")
	count(image_tag.deny) == 0 with input as pod("nginx@sha256:0123")
	count(image_tag.deny) == 0 with input as pod("nginx:latest@sha256:0123")
}
