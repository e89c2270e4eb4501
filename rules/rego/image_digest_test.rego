package kubegate.rules.image_digest_test

import data.kubegate.rules.image_digest

test_tag if {
	count(image_digest.deny) == 1 with input as {"kind": "Pod", "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}
}

test_digest if {
	count(image_digest.deny) == 0 with input as {"kind": "Pod", "spec": {"containers": [{"name": "c", "image": "nginx:1.27@sha256:0000000000000000000000000000000000000000000000000000000000000000"}]}}
}
