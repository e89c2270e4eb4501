package kubegate.rules.ingress_path_regex_test

import data.kubegate.rules.ingress_path_regex

ingress(path, type) := {"kind": "Ingress", "spec": {"rules": [{"http": {"paths": [{"path": path, "pathType": type}]}}]}}

test_glob_in_prefix if {
	count(ingress_path_regex.deny) == 1 with input as ingress("/static/*", "Prefix")
}

test_regex_in_exact if {
	count(ingress_path_regex.deny) == 1 with input as ingress("/api/(v1|v2)$", "Exact")
}

test_regex_in_implementation_specific if {
	count(ingress_path_regex.deny) == 0 with input as ingress("/api/(v1|v2)/.*", "ImplementationSpecific")
}

test_literal_prefix if {
	count(ingress_path_regex.deny) == 0 with input as ingress("/static", "Prefix")
}
