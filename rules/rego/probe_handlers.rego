# METADATA
# title: Probe has exactly one handler
# description: |
#   A probe names how the kubelet checks the container: exec, httpGet,
#   tcpSocket or grpc. The API server rejects a probe with none ("must
#   specify a handler type") and a probe with more than one ("may not specify
#   more than 1 handler type"), so the manifest never applies.
# custom:
#   id: probe-handlers
#   severity: error
#   remediation: Keep exactly one of exec, httpGet, tcpSocket or grpc in the probe.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.probe_handlers

import data.lib.kubegate

handler_types := ["exec", "httpGet", "tcpSocket", "grpc"]

handlers(probe) := [h | some h in handler_types; probe[h] != null]

deny contains {"msg": message(r, hs), "path": kubegate.probe_path(r)} if {
	some r, p in kubegate.probes
	hs := handlers(p)
	count(hs) != 1
}

message(r, hs) := sprintf("%s of container %q has no handler; the API server requires one of exec, httpGet, tcpSocket or grpc", [kubegate.probe_name(r), kubegate.container_name(r)]) if {
	count(hs) == 0
} else := sprintf("%s of container %q has %d handlers (%s); the API server accepts exactly one", [kubegate.probe_name(r), kubegate.container_name(r), count(hs), concat(", ", hs)])
