# METADATA
# title: Pods use serviceAccountName, not serviceAccount
# description: |
#   spec.serviceAccount is the deprecated alias of serviceAccountName. The
#   API server copies one into the other only when the other is empty; when
#   both are set and differ, serviceAccountName wins and the alias misleads
#   readers. Matches kube-linter's deprecated-service-account-field.
# custom:
#   id: service-account-field
#   severity: warning
#   remediation: Rename serviceAccount to serviceAccountName.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.service_account_field

import data.lib.kubegate

deny contains {"msg": msg, "path": array.concat(kubegate.pod_spec_path, ["serviceAccount"])} if {
	sa := kubegate.pod_spec.serviceAccount
	is_string(sa)
	sa != ""
	msg := message(sa, object.get(kubegate.pod_spec, "serviceAccountName", ""))
}

message(sa, name) := sprintf("serviceAccount %q is the deprecated alias of serviceAccountName, which says %q and wins", [sa, name]) if {
	name != ""
	name != sa
} else := sprintf("serviceAccount is deprecated; write serviceAccountName: %s", [sa])
