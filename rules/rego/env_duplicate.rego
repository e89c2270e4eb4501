# METADATA
# title: Env vars are set once per container
# description: |
#   When a container lists the same variable twice, the API server accepts
#   it and the last one wins, so the first value is
#   dead text that readers believe. Usually one of the two was added by a
#   patch or a Helm value without noticing the other. Matches kube-linter's
#   dupe-env-var and kube-score's environment-variable-key-duplication.
# custom:
#   id: env-duplicate
#   severity: warning
#   remediation: Keep one entry per name and delete the other.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.env_duplicate

import data.lib.kubegate

deny contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["env", j, "name"])} if {
	some ref in kubegate.container_refs
	env := object.get(kubegate.container(ref), "env", [])
	some j, e in env
	some i, prev in env
	i < j
	prev.name == e.name
	not earlier_duplicate(env, i, e.name)
	msg := sprintf("container %q sets %s twice (env[%d] and env[%d]); the last one wins", [kubegate.container_name(ref), e.name, i, j])
}

# earlier_duplicate holds when env[i] is itself not the first entry of
# its name: each later duplicate is reported once, against the first.
earlier_duplicate(env, i, name) if {
	some k, x in env
	k < i
	x.name == name
}
