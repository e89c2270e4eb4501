package lib.kubegate_image_test

import data.lib.kubegate

# image_ref and pull_policy_default stay in the library for users'
# policies; the built-in rules that used them (image-tag,
# image-pull-policy) are Go rules now, tested by their cases.

test_image_ref if {
	kubegate.image_ref("registry:5000/team/app") == {"name": "registry:5000/team/app", "tag": "", "digest": ""}
	kubegate.image_ref("registry:5000/team/app:1.2") == {"name": "registry:5000/team/app", "tag": "1.2", "digest": ""}
	kubegate.image_ref("app@sha256:abc") == {"name": "app", "tag": "", "digest": "sha256:abc"}
	kubegate.image_ref("app:1.0@sha256:abc") == {"name": "app", "tag": "1.0", "digest": "sha256:abc"}
}

test_pull_policy_default if {
	kubegate.pull_policy_default("nginx") == "Always"
	kubegate.pull_policy_default("nginx:latest") == "Always"
	kubegate.pull_policy_default("registry:5000/nginx") == "Always"
	kubegate.pull_policy_default("nginx:1.2") == "IfNotPresent"
	kubegate.pull_policy_default("nginx@sha256:0123") == "IfNotPresent"
	kubegate.pull_policy_default("nginx:latest@sha256:0123") == "IfNotPresent"
}
