package kubegate.rules.cpu_limit_test

import data.kubegate.rules.cpu_limit

test_cpu_limit if {
	p := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "x", "resources": {"limits": {"cpu": "1"}}}, {"name": "b", "image": "x"}]}}
	count(cpu_limit.deny) == 1 with input as p
}
