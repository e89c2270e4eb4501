package kubegate.rules.resource_requests_test

import data.kubegate.rules.resource_requests

pod(res) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "x", "resources": res}]}}

test_none_fails if {
	count(resource_requests.deny) == 2 with input as pod({})
}

test_limit_counts_as_request if {
	count(resource_requests.deny) == 1 with input as pod({"limits": {"memory": "1Gi"}})
}

test_requests_pass if {
	count(resource_requests.deny) == 0 with input as pod({"requests": {"cpu": "1", "memory": "1Gi"}})
}
