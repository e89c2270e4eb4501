package kubegate.rules.anti_affinity_test

import data.kubegate.rules.anti_affinity

dep(replicas, extra) := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"replicas": replicas, "template": {"metadata": {"labels": {"app": "d"}}, "spec": object.union({"containers": []}, extra)}}}

test_unspread_fails if {
	count(anti_affinity.deny) == 1 with input as dep(3, {})
}

test_single_replica_passes if {
	count(anti_affinity.deny) == 0 with input as dep(1, {})
}

test_spread_passes if {
	count(anti_affinity.deny) == 0 with input as dep(3, {"topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": {"matchLabels": {"app": "d"}}}]})
	count(anti_affinity.deny) == 0 with input as dep(3, {"affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 1, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname", "labelSelector": {"matchExpressions": [{"key": "app", "operator": "In", "values": ["d"]}]}}}]}}})
}

test_other_selector_fails if {
	count(anti_affinity.deny) == 1 with input as dep(3, {"topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": {"matchLabels": {"app": "other"}}}]})
}
