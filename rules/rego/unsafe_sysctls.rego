# METADATA
# title: Pods set only safe sysctls
# description: |
#   The kubelet accepts only namespaced sysctls it knows to be isolated per
#   pod (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range,
#   net.ipv4.tcp_syncookies, net.ipv4.ping_group_range,
#   net.ipv4.ip_unprivileged_port_start, net.ipv4.ip_local_reserved_ports,
#   net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout,
#   net.ipv4.tcp_keepalive_intvl, net.ipv4.tcp_keepalive_probes,
#   net.ipv4.tcp_rmem, net.ipv4.tcp_wmem). Any other sysctl is unsafe: the
#   kubelet refuses to start the pod (SysctlForbidden) unless the node
#   allows it with --allowed-unsafe-sysctls, and it may affect other pods
#   on the node. Matches kube-linter's unsafe-sysctls.
# custom:
#   id: unsafe-sysctls
#   severity: warning
#   remediation: Remove the sysctl, or run the pod only on nodes whose kubelet allows it (--allowed-unsafe-sysctls) and schedule it there with a node selector and taint.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.unsafe_sysctls

import data.lib.kubegate

# safe is the kubelet's safe set (pkg/kubelet/sysctl/safe_sysctls.go).
safe := {
	"kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies",
	"net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
	"net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
	"net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem",
	"net.ipv4.tcp_wmem",
}

deny contains {"msg": msg, "path": array.concat(kubegate.pod_spec_path, ["securityContext", "sysctls", i, "name"])} if {
	some i, s in object.get(kubegate.pod_spec, ["securityContext", "sysctls"], [])
	is_string(s.name)
	# The kubelet accepts "/" as the separator too.
	not safe[replace(s.name, "/", ".")]
	msg := sprintf("sysctl %s is not in the kubelet's safe set: the pod is refused (SysctlForbidden) on nodes that do not allow it", [s.name])
}
