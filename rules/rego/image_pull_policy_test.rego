package kubegate.rules.image_pull_policy_test

import data.kubegate.rules.image_pull_policy

pod(image, policy) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": image, "imagePullPolicy": policy}]}}

test_latest_if_not_present_fails if {
	count(image_pull_policy.deny) == 1 with input as pod("nginx:latest", "IfNotPresent")
}

test_never_fails if {
	count(image_pull_policy.deny) == 1 with input as pod("nginx:1.2", "Never")
}

test_sensible_passes if {
	count(image_pull_policy.deny) == 0 with input as pod("nginx:1.2", "IfNotPresent")
	count(image_pull_policy.deny) == 0 with input as pod("nginx:latest", "Always")
	count(image_pull_policy.deny) == 0 with input as pod("nginx:1.2", "Always")
}
