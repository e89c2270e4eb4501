package kubegate.rules.ingress_wildcard_host_test

import data.kubegate.rules.ingress_wildcard_host

test_wildcard if {
	count(ingress_wildcard_host.deny) == 1 with input as {"kind": "Ingress", "spec": {"rules": [{"host": "*.example.com"}], "tls": [{"hosts": ["*.example.com"]}]}}
}

test_named if {
	count(ingress_wildcard_host.deny) == 0 with input as {"kind": "Ingress", "spec": {"rules": [{"host": "shop.example.com"}, {}]}}
}
