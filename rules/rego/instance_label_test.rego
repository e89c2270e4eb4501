package kubegate.rules.instance_label_test

import data.kubegate.rules.instance_label

test_mismatch if {
	count(instance_label.deny) == 1 with input as {"kind": "Deployment", "metadata": {"name": "web", "labels": {"app.kubernetes.io/instance": "shop"}}}
}

test_missing if {
	count(instance_label.deny) == 1 with input as {"kind": "Deployment", "metadata": {"name": "web"}}
}

test_match if {
	count(instance_label.deny) == 0 with input as {"kind": "Deployment", "metadata": {"name": "web", "labels": {"app.kubernetes.io/instance": "web"}}}
}
