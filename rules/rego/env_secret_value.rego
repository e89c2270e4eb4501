# METADATA
# title: Secrets are not written into env values
# description: |
#   A literal env value is part of the workload's spec: it is in the
#   manifest's repository, readable by everyone who may get the
#   Deployment, and shown by kubectl describe. A variable whose name says
#   password, secret, token, API key, credentials or private key with a
#   literal value, or any value that looks like a credential (an AWS access
#   key ID, a PEM private key, a GitHub, Slack or Stripe token, a URL with
#   a password), is reported. Names that only mention such a thing (for
#   example TOKEN_URL, SECRET_NAME, PASSWORD_FILE) are not. Matches
#   kube-linter's env-var-secret and Polaris' sensitiveContainerEnvVar.
# custom:
#   id: env-secret-value
#   severity: warning
#   remediation: Put the value in a Secret and reference it with valueFrom.secretKeyRef (or mount it as a file).
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.env_secret_value

import data.lib.kubegate

# secret_name matches names that hold a secret; the suffixes below name
# something about a secret instead.
secret_name := `(?i)(passw(or)?d|passphrase|secret|token|api_?key|access_?key|private_?key|credentials?|auth_?key)`

not_a_secret := `(?i)(_(url|uri|endpoint|host|name|file|path|dir|ref|id|type|ttl|expiry|length|header|enabled|mount)|_key_id)$`

# looks_secret matches values that are credentials whatever their name.
looks_secret := `^(AKIA|ASIA)[0-9A-Z]{16}$|-----BEGIN [A-Z ]*PRIVATE KEY-----|^gh[pousr]_[A-Za-z0-9]{36,}$|^xox[abpr]-[A-Za-z0-9-]{10,}|^sk_live_[A-Za-z0-9]{16,}|://[^/:@]+:[^/@]+@`

deny contains {"msg": msg, "path": array.concat(kubegate.container_path(ref), ["env", i, "value"])} if {
	some ref in kubegate.container_refs
	some i, e in object.get(kubegate.container(ref), "env", [])
	is_string(e.value)
	e.value != ""
	reason := why(e.name, e.value)
	msg := sprintf("container %q sets %s to a literal value that %s; it is readable by anyone who can read the workload", [kubegate.container_name(ref), e.name, reason])
}

why(name, value) := "looks like a credential" if {
	regex.match(looks_secret, value)
} else := "its name says is a secret" if {
	regex.match(secret_name, name)
	not regex.match(not_a_secret, name)
	not placeholder(value)
}

# placeholder values are obviously not secrets: booleans and references to
# other variables.
placeholder(v) if v in {"true", "false", "yes", "no", "0", "1"}

placeholder(v) if startswith(v, "$(")
