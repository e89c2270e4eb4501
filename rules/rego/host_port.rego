# METADATA
# title: Containers do not bind node ports
# description: |
#   A hostPort opens the port on the node the pod runs on: at most one pod
#   per node can use it, so it limits scheduling, and it bypasses Services
#   and usually NetworkPolicies. Ports below 1024 inside the container need
#   NET_BIND_SERVICE or root, and port 22 suggests an SSH server in a
#   container. Matches Polaris' hostPortSet and kube-linter's host-port,
#   privileged-ports and ssh-port.
# custom:
#   id: host-port
#   severity: warning
#   remediation: Remove hostPort and reach the pod through a Service (NodePort or LoadBalancer if it must be reachable from outside); listen on a port above 1024.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.host_port

import data.lib.kubegate

deny contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["ports", i, "hostPort"])} if {
	some ref in kubegate.container_refs
	some i, p in object.get(kubegate.container(ref), "ports", [])
	p.hostPort > 0
	msg := sprintf("container %q binds port %v of the node (hostPort): one such pod per node, outside Services and NetworkPolicies", [kubegate.container_name(ref), p.hostPort])
}

warn contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["ports", i, "containerPort"])} if {
	some ref in kubegate.container_refs
	some i, p in object.get(kubegate.container(ref), "ports", [])
	p.containerPort == 22
	msg := sprintf("container %q exposes port 22: an SSH server in a container is a door around kubectl exec and its audit log", [kubegate.container_name(ref)])
}

warn contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["ports", i, "containerPort"])} if {
	some ref in kubegate.container_refs
	some i, p in object.get(kubegate.container(ref), "ports", [])
	p.containerPort < 1024
	p.containerPort != 22
	msg := sprintf("container %q listens on privileged port %v, which needs root or NET_BIND_SERVICE; listen above 1024 and map the port in the Service", [kubegate.container_name(ref), p.containerPort])
}
