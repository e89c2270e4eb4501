package kubegate.rules.env_secret_ref_test

import data.kubegate.rules.env_secret_ref

test_env_from_secret if {
	p := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "x", "envFrom": [{"configMapRef": {"name": "c"}}, {"secretRef": {"name": "s"}}], "env": [{"name": "P", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]}]}}
	count(env_secret_ref.deny) == 2 with input as p
}

test_config_only_passes if {
	p := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "x", "envFrom": [{"configMapRef": {"name": "c"}}]}]}}
	count(env_secret_ref.deny) == 0 with input as p
}
