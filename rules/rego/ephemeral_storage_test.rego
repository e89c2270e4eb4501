package kubegate.rules.ephemeral_storage_test

import data.kubegate.rules.ephemeral_storage

test_ephemeral if {
	p := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "x", "resources": {"requests": {"ephemeral-storage": "1Gi"}, "limits": {"ephemeral-storage": "1Gi"}}}, {"name": "b", "image": "x", "resources": {"limits": {"ephemeral-storage": "1Gi"}}}]}}
	count(ephemeral_storage.deny) == 1 with input as p
}
