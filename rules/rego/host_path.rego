# METADATA
# title: Pods do not mount the node's sensitive directories
# description: |
#   A hostPath volume is a directory or file of the node. Mounting the
#   container runtime's socket (docker.sock, containerd.sock, crio.sock)
#   lets the pod start privileged containers on the node; mounting /, /etc,
#   /proc, /sys, /dev, /boot, /root, /lib, /usr, the kubelet's or the
#   runtime's state directories, or a parent of any of them, exposes the
#   node's credentials and configuration: those are errors. Any other
#   hostPath ties the pod's data to one node and is a warning, as is a
#   container that mounts a hostPath volume writable. Paths are compared
#   after removing trailing and doubled slashes. Matches kube-linter's
#   docker-sock, sensitive-host-mounts and writable-host-mount and Polaris'
#   hostPathSet.
# custom:
#   id: host-path
#   severity: error
#   remediation: Use a volume that is not the node's (emptyDir, a PersistentVolumeClaim, a ConfigMap or Secret); if a node agent truly needs the directory, mount the narrowest path read-only.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.host_path

import data.lib.kubegate

# sensitive are the node's directories and files whose contents let a pod
# take over the node or read its credentials.
sensitive := [
	"/", "/etc", "/proc", "/sys", "/dev", "/boot", "/root", "/lib", "/usr", "/bin", "/sbin",
	"/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd", "/run/containerd",
	"/var/run/crio", "/run/crio", "/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd",
	"/etc/kubernetes", "/var/lib/etcd",
]

# clean removes doubled and trailing slashes: "/var//run/" is "/var/run".
clean(p) := "/" if {
	trim(p, "/") == ""
} else := concat("/", ["", trim(regex.replace(p, "/+", "/"), "/")])

hit(p, s) if p == s

# p is inside the sensitive path.
hit(p, s) if {
	s != "/"
	startswith(p, concat("", [s, "/"]))
}

# p is a parent of the sensitive path, so it holds it.
hit(p, s) if {
	p != "/"
	startswith(s, concat("", [p, "/"]))
}

sensitive_match(p) := [describe(p, s) | some s in sensitive; hit(p, s)]

describe(p, s) := "is itself sensitive" if {
	p == s
} else := sprintf("is inside %s", [s]) if {
	startswith(p, concat("", [s, "/"]))
} else := sprintf("holds %s", [s])

host_volumes[name] := [i, clean(v.hostPath.path)] if {
	some i, v in object.get(kubegate.pod_spec, "volumes", [])
	is_string(v.hostPath.path)
	name := v.name
}

deny contains {"msg": msg, "path": array.concat(kubegate.pod_spec_path, ["volumes", i, "hostPath", "path"])} if {
	some name, [i, p] in host_volumes
	hits := sensitive_match(p)
	count(hits) > 0
	msg := sprintf("volume %q mounts the node's %s, which %s: a pod with it can read the node's secrets or take the node over", [name, p, concat(", ", hits)])
}

warn contains {"msg": msg, "path": array.concat(kubegate.pod_spec_path, ["volumes", i, "hostPath", "path"])} if {
	some name, [i, p] in host_volumes
	count(sensitive_match(p)) == 0
	msg := sprintf("volume %q is the node's directory %s: its data stays on that node when the pod moves", [name, p])
}

warn contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["volumeMounts", j])} if {
	some ref in kubegate.container_refs
	some j, m in object.get(kubegate.container(ref), "volumeMounts", [])
	host_volumes[m.name]
	object.get(m, "readOnly", false) != true
	msg := sprintf("container %q mounts hostPath volume %q writable; add readOnly: true unless it must write to the node", [kubegate.container_name(ref), m.name])
}
