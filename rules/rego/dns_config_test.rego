package kubegate.rules.dns_config_test

import data.kubegate.rules.dns_config

test_default if {
	count(dns_config.deny) == 1 with input as {"kind": "Pod", "spec": {"containers": [{"name": "c"}]}}
}

test_ndots if {
	count(dns_config.deny) == 0 with input as {"kind": "Pod", "spec": {"dnsConfig": {"options": [{"name": "ndots", "value": "2"}]}, "containers": [{"name": "c"}]}}
}
