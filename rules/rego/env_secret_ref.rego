# METADATA
# title: Secrets reach containers as files rather than env vars
# description: |
#   A Secret passed through env (valueFrom.secretKeyRef) or envFrom
#   (secretRef) ends up in the process environment: child processes
#   inherit it, crash reports and debug endpoints print it, and it does not
#   change when the Secret is rotated. A Secret volume is updated in place
#   and read only by whoever opens the file. Informational: many
#   applications take credentials only from env. Matches kube-linter's
#   read-secret-from-env-var.
# custom:
#   id: env-secret-ref
#   severity: info
#   remediation: Mount the Secret as a volume and point the application at the file (many accept a *_FILE variable).
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.env_secret_ref

import data.lib.kubegate

deny contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["envFrom", i, "secretRef"])} if {
	some ref in kubegate.container_refs
	some i, e in object.get(kubegate.container(ref), "envFrom", [])
	is_object(e.secretRef)
	msg := sprintf("container %q loads every key of Secret %q into its environment (envFrom)", [kubegate.container_name(ref), object.get(e.secretRef, "name", "")])
}

deny contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["env", i, "valueFrom", "secretKeyRef"])} if {
	some ref in kubegate.container_refs
	some i, e in object.get(kubegate.container(ref), "env", [])
	is_object(e.valueFrom.secretKeyRef)
	msg := sprintf("container %q reads Secret %q into env var %s", [kubegate.container_name(ref), object.get(e.valueFrom.secretKeyRef, "name", ""), e.name])
}
