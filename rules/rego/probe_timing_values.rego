# METADATA
# title: Probe timings are positive
# description: |
#   The API server rejects a probe whose initialDelaySeconds, timeoutSeconds,
#   periodSeconds, successThreshold or failureThreshold is negative, and a
#   terminationGracePeriodSeconds that is not positive. An explicit 0 in
#   timeoutSeconds, periodSeconds, successThreshold or failureThreshold is
#   accepted but silently replaced by the default (1, 10, 1 and 3): a probe
#   written with failureThreshold 0 to mean "never fail" fails after three
#   misses. Negative values are errors, explicit zeros warnings.
# custom:
#   id: probe-timing-values
#   severity: error
#   remediation: Use values of at least 1 (initialDelaySeconds may be 0), or leave the field out to get the default.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.probe_timing_values

import data.lib.kubegate

fields := ["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"]

# defaults are what the API server puts in place of an explicit 0.
defaults := {"timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3}

deny contains {"msg": msg, "path": array.concat(kubegate.probe_path(r), [f])} if {
	some r, p in kubegate.probes
	some f in fields
	v := p[f]
	is_number(v)
	v < 0
	msg := sprintf("%s of container %q has %s %v; the API server rejects negative values", [kubegate.probe_name(r), kubegate.container_name(r), f, v])
}

deny contains {"msg": msg, "path": array.concat(kubegate.probe_path(r), ["terminationGracePeriodSeconds"])} if {
	some r, p in kubegate.probes
	v := p.terminationGracePeriodSeconds
	is_number(v)
	v <= 0
	msg := sprintf("%s of container %q has terminationGracePeriodSeconds %v; the API server requires a positive value", [kubegate.probe_name(r), kubegate.container_name(r), v])
}

warn contains {"msg": msg, "path": array.concat(kubegate.probe_path(r), [f])} if {
	some r, p in kubegate.probes
	some f, d in defaults
	p[f] == 0
	msg := sprintf("%s of container %q has %s 0, which the API server replaces with the default %d", [kubegate.probe_name(r), kubegate.container_name(r), f, d])
}
