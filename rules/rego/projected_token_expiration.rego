# METADATA
# title: Projected service account tokens expire soon
# description: |
#   A serviceAccountToken projection mints a token the kubelet renews
#   before it expires; expirationSeconds says how long a copy stays valid.
#   A token stolen from a compromised pod (or a log, or a core dump) is a
#   credential for as long as that: days-long tokens outlive the incident
#   response. The API server caps it by --service-account-max-token-expiration
#   when set. Matches kube-linter's projected-token-long-expiration.
# custom:
#   id: projected-token-expiration
#   severity: warning
#   remediation: Set expirationSeconds to 3600 (the default) or less; audiences of external systems rarely need more than a few hours.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.projected_token_expiration

import data.lib.kubegate

# max_seconds is a day: the point past which a leaked token outlives a
# typical incident response.
max_seconds := 86400

deny contains {"msg": msg, "path": array.concat(kubegate.pod_spec_path, ["volumes", i, "projected", "sources", j, "serviceAccountToken", "expirationSeconds"])} if {
	some i, v in object.get(kubegate.pod_spec, "volumes", [])
	some j, s in object.get(v, ["projected", "sources"], [])
	secs := s.serviceAccountToken.expirationSeconds
	secs > max_seconds
	msg := sprintf("volume %q projects a service account token valid for %v seconds (%v days): a leaked copy stays usable that long", [v.name, secs, round(secs / 86400)])
}
