# METADATA
# title: Pods tune DNS search with ndots
# description: |
#   With the default ndots:5, a name with fewer than five dots (api.example.com)
#   is first tried against every search domain of the pod (four lookups in
#   a cluster domain) before it is looked up as written: external calls cost
#   several extra DNS queries each, which loads CoreDNS and adds latency.
#   Setting dnsConfig.options ndots (2 is common) makes external names
#   resolve directly. Off by default: it changes how short names resolve.
#   Matches kube-linter's dnsconfig-options.
# custom:
#   id: dns-config
#   severity: info
#   disabled: true
#   remediation: Add spec.dnsConfig.options with name ndots and value "2", and use fully qualified names (with a trailing dot) for external hosts.
#   kinds: [Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.dns_config

import data.lib.kubegate

deny contains {"msg": msg, "path": kubegate.pod_spec_path} if {
	spec := kubegate.pod_spec
	count([o | some o in object.get(spec, ["dnsConfig", "options"], []); o.name == "ndots"]) == 0
	msg := "the pods keep the default ndots:5: every external name is tried against each search domain first"
}
