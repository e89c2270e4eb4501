# METADATA
# title: Replicated workloads spread their pods
# description: |
#   Replicas protect against a node failure only if they run on different
#   nodes, and the scheduler's default spreading is a soft preference that
#   loses to resource fit. A Deployment or StatefulSet with more than one
#   replica (or a ReplicaSet or ReplicationController) should say so with
#   a pod anti-affinity term on kubernetes.io/hostname or a topology
#   spread constraint whose selector matches its own pods. Matches
#   kube-linter's no-anti-affinity, kube-score's
#   deployment-has-host-podantiaffinity and
#   statefulset-has-host-podantiaffinity, and Polaris'
#   topologySpreadConstraint.
# custom:
#   id: anti-affinity
#   severity: warning
#   remediation: Add a topologySpreadConstraint (topologyKey kubernetes.io/hostname or topology.kubernetes.io/zone) or a preferred podAntiAffinity term selecting the workload's own pod labels.
#   kinds: [Deployment, StatefulSet, ReplicaSet, ReplicationController]
package kubegate.rules.anti_affinity

import data.lib.kubegate

deny contains {"msg": msg, "path": kubegate.pod_spec_path} if {
	replicas := object.get(input, ["spec", "replicas"], 1)
	is_number(replicas)
	replicas > 1
	labels := object.get(input, ["spec", "template", "metadata", "labels"], {})
	not spread(labels)
	msg := sprintf("%s %q runs %d replicas but neither pod anti-affinity nor a topology spread constraint selects its pods, so they may all land on one node", [input.kind, object.get(input, ["metadata", "name"], ""), replicas])
}

spread(labels) if {
	some c in object.get(kubegate.pod_spec, "topologySpreadConstraints", [])
	selects(object.get(c, "labelSelector", {}), labels)
}

spread(labels) if {
	some kind in ["requiredDuringSchedulingIgnoredDuringExecution", "preferredDuringSchedulingIgnoredDuringExecution"]
	some t in object.get(kubegate.pod_spec, ["affinity", "podAntiAffinity", kind], [])
	term := object.get(t, "podAffinityTerm", t)
	selects(object.get(term, "labelSelector", {}), labels)
}

# selects is a label selector's matchLabels and the equality-like
# matchExpressions, which is what anti-affinity terms use in practice.
selects(sel, labels) if {
	count(object.get(sel, "matchLabels", {})) + count(object.get(sel, "matchExpressions", [])) > 0
	every k, v in object.get(sel, "matchLabels", {}) {
		labels[k] == v
	}
	every e in object.get(sel, "matchExpressions", []) {
		expression(e, labels)
	}
}

expression(e, labels) if {
	e.operator == "In"
	labels[e.key] in e.values
}

expression(e, labels) if {
	e.operator == "NotIn"
	not object.get(labels, e.key, null) in e.values
}

expression(e, labels) if {
	e.operator == "Exists"
	labels[e.key]
}

expression(e, labels) if {
	e.operator == "DoesNotExist"
	not labels[e.key]
}
