# METADATA
# title: Containers drop all capabilities and add none that are dangerous
# description: |
#   Container runtimes give a container a default set of Linux capabilities
#   (containerd's includes NET_RAW, which allows packet spoofing, and
#   CHOWN, SETUID, SETGID, DAC_OVERRIDE...). Dropping ALL and adding back
#   only what the process needs (usually nothing, or NET_BIND_SERVICE)
#   shrinks what an attacker in the container can do. Some capabilities are
#   close to root on the node: SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE,
#   SYS_RAWIO, BPF, PERFMON, DAC_READ_SEARCH, SYS_BOOT, ALL. Adding one of
#   them is reported, as is adding NET_RAW or not dropping ALL. Windows pods
#   have no capabilities and are skipped. Matches kube-linter's
#   drop-net-raw-capability, Polaris' dangerousCapabilities and
#   insecureCapabilities.
# custom:
#   id: capabilities
#   severity: warning
#   remediation: Set securityContext.capabilities.drop to [ALL] and add back only the capabilities the process needs, such as NET_BIND_SERVICE.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.capabilities

import data.lib.kubegate

dangerous := {"ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_PTRACE", "SYS_MODULE", "SYS_RAWIO", "BPF", "PERFMON", "DAC_READ_SEARCH", "SYS_BOOT", "NET_RAW", "SYS_TIME", "MAC_ADMIN", "MAC_OVERRIDE"}

# name normalizes a capability as the runtimes do: case-insensitive, with
# or without the CAP_ prefix.
name(c) := trim_prefix(upper(c), "CAP_")

deny contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["securityContext", "capabilities", "add", i])} if {
	kubegate.linux_pod
	some ref in kubegate.container_refs
	some i, c in kubegate.container(ref).securityContext.capabilities.add
	dangerous[name(c)]
	msg := sprintf("container %q adds capability %s, which gives it power over the node or its network", [kubegate.container_name(ref), name(c)])
}

deny contains {"msg": msg, "path": path} if {
	kubegate.linux_pod
	some ref in kubegate.container_refs
	drops := object.get(kubegate.container(ref), ["securityContext", "capabilities", "drop"], [])
	not drops_all(drops)
	path := drop_path(ref)
	msg := sprintf("container %q does not drop ALL capabilities, so it keeps the runtime's defaults (NET_RAW among them)", [kubegate.container_name(ref)])
}

drops_all(drops) if {
	some c in drops
	name(c) == "ALL"
}

drop_path(ref) := array.concat(kubegate.container_path(ref), ["securityContext", "capabilities", "drop"]) if {
	is_array(kubegate.container(ref).securityContext.capabilities.drop)
} else := kubegate.container_security_path(ref, "capabilities")
