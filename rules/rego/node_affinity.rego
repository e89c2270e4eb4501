# METADATA
# title: Workloads say which nodes they run on
# description: |
#   Without a nodeSelector or node affinity, pods land on any node with
#   room: on a GPU node, a spot node, a node of another team's pool.
#   Clusters with several node pools want every workload to say where it
#   belongs. Off by default: single-pool clusters have no choice to make.
#   Matches kube-linter's no-node-affinity.
# custom:
#   id: node-affinity
#   severity: info
#   disabled: true
#   remediation: Add a nodeSelector (or spec.affinity.nodeAffinity) naming the node pool the workload belongs to.
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.node_affinity

import data.lib.kubegate

deny contains {"msg": msg, "path": kubegate.pod_spec_path} if {
	spec := kubegate.pod_spec
	count(object.get(spec, "nodeSelector", {})) == 0
	not spec.affinity.nodeAffinity
	msg := "the pods set neither a nodeSelector nor node affinity: they may land on any node of the cluster"
}
