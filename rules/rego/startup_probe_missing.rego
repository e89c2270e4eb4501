# METADATA
# title: Slow-starting containers have a startup probe
# description: |
#   Until a startup probe succeeds, the kubelet holds the liveness and
#   readiness probes back; without one, a liveness probe tuned for a
#   running process kills a container that is still starting (loading a
#   cache, migrating a schema, warming a JIT) and the pod crash-loops.
#   Only long-running containers that have a liveness probe are judged. Off
#   by default: containers that start in seconds need none. Matches
#   kube-linter's no-startup-probe.
# custom:
#   id: startup-probe-missing
#   severity: info
#   disabled: true
#   remediation: Add a startupProbe on the same endpoint as the liveness probe, with failureThreshold x periodSeconds covering the slowest start.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController]
package kubegate.rules.startup_probe_missing

import data.lib.kubegate

deny contains {"msg": msg, "path": kubegate.container_path(ref)} if {
	kubegate.pod_class == "long-running"
	some ref in kubegate.container_refs
	ref[0] == "containers"
	c := kubegate.container(ref)
	c.livenessProbe
	not c.startupProbe
	msg := sprintf("container %q has a liveness probe but no startup probe: if it ever starts slowly, the liveness probe kills it before it is up", [kubegate.container_name(ref)])
}
