# METADATA
# title: Liveness and startup probes need successThreshold 1
# description: |
#   A liveness or startup probe succeeds on its first success; the API server
#   rejects any other successThreshold ("must be 1"). Only readiness probes
#   may ask for several successes in a row.
# custom:
#   id: probe-success-threshold
#   severity: error
#   remediation: Remove successThreshold from liveness and startup probes, or set it to 1.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.probe_success_threshold

import data.lib.kubegate

names := {"livenessProbe", "startupProbe"}

deny contains {"msg": msg, "path": array.concat(kubegate.probe_path(r), ["successThreshold"])} if {
	some r, p in kubegate.probes
	names[r[2]]
	t := p.successThreshold
	is_number(t)
	t > 1
	msg := sprintf("%s of container %q: successThreshold must be 1, not %v", [kubegate.probe_name(r), kubegate.container_name(r), t])
}
