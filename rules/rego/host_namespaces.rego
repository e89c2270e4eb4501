# METADATA
# title: Pods do not share the node's namespaces
# description: |
#   hostNetwork puts the pod on the node's network stack (it can bind any
#   port of the node and sniff its traffic, and NetworkPolicies do not
#   apply to it); hostPID lets it see and signal every process of the node;
#   hostIPC lets it read the shared memory of every process. Only node
#   agents need them. Matches kube-linter's host-network, host-pid and
#   host-ipc and Polaris' hostNetworkSet, hostPIDSet and hostIPCSet.
# custom:
#   id: host-namespaces
#   severity: warning
#   remediation: Remove hostNetwork, hostPID and hostIPC (or set them to false); expose the pod through a Service instead of the node's network.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.host_namespaces

import data.lib.kubegate

what := {
	"hostNetwork": "the node's network stack: it can bind any node port and see the node's traffic, and NetworkPolicies do not apply to it",
	"hostPID": "the node's process namespace: it sees and can signal every process on the node",
	"hostIPC": "the node's IPC namespace: it can read other processes' shared memory",
}

deny contains {"msg": msg, "path": array.concat(kubegate.pod_spec_path, [field])} if {
	some field, why in what
	kubegate.pod_spec[field] == true
	msg := sprintf("%s is true: the pod shares %s", [field, why])
}
