# METADATA
# title: Autoscalers keep more than one replica
# description: |
#   minReplicas defaults to 1, so a HorizontalPodAutoscaler scales its
#   target down to a single pod when load is low, and that one pod is a
#   single point of failure (and cannot be evicted under a PDB without
#   downtime). maxReplicas equal to minReplicas leaves nothing to scale.
#   Matches Polaris' hpaMinAvailability and hpaMaxAvailability.
# custom:
#   id: hpa-availability
#   severity: warning
#   remediation: Set minReplicas to at least 2 and maxReplicas above it.
#   kinds: [autoscaling/HorizontalPodAutoscaler]
package kubegate.rules.hpa_availability

deny contains {"msg": msg, "path": path} if {
	min := object.get(input, ["spec", "minReplicas"], 1)
	is_number(min)
	min < 2
	path := min_path
	msg := sprintf("minReplicas is %v: at low load the target runs a single pod", [min])
}

deny contains {"msg": msg, "path": ["spec", "maxReplicas"]} if {
	min := object.get(input, ["spec", "minReplicas"], 1)
	input.spec.maxReplicas == min
	min > 1
	msg := sprintf("maxReplicas equals minReplicas (%v): the autoscaler has nothing to scale", [min])
}

min_path := ["spec", "minReplicas"] if {
	is_number(input.spec.minReplicas)
} else := ["spec"]
