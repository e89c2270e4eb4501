package kubegate.rules.hpa_availability_test

import data.kubegate.rules.hpa_availability

test_hpa if {
	count(hpa_availability.deny) == 1 with input as {"kind": "HorizontalPodAutoscaler", "spec": {"maxReplicas": 5}}
	count(hpa_availability.deny) == 1 with input as {"kind": "HorizontalPodAutoscaler", "spec": {"minReplicas": 3, "maxReplicas": 3}}
	count(hpa_availability.deny) == 0 with input as {"kind": "HorizontalPodAutoscaler", "spec": {"minReplicas": 2, "maxReplicas": 5}}
}
