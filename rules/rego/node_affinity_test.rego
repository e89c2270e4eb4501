package kubegate.rules.node_affinity_test

import data.kubegate.rules.node_affinity

test_anywhere if {
	count(node_affinity.deny) == 1 with input as {"kind": "Deployment", "spec": {"template": {"spec": {"containers": [{"name": "c"}]}}}}
}

test_selector if {
	count(node_affinity.deny) == 0 with input as {"kind": "Deployment", "spec": {"template": {"spec": {"nodeSelector": {"pool": "web"}, "containers": [{"name": "c"}]}}}}
}
