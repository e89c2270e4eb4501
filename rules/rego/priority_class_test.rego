package kubegate.rules.priority_class_test

import data.kubegate.rules.priority_class

test_priority if {
	count(priority_class.deny) == 1 with input as {"kind": "Pod", "spec": {"containers": []}}
	count(priority_class.deny) == 0 with input as {"kind": "Pod", "spec": {"priorityClassName": "high", "containers": []}}
}
