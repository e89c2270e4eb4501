# METADATA
# title: ConfigMaps hold no credentials
# description: |
#   ConfigMaps are readable by everyone with view rights in the namespace
#   (the built-in view role grants them, Secrets it does not) and are not
#   encrypted at rest. A key whose name says password, token, secret or
#   private key with a value, or a value that looks like a credential (an
#   AWS access key ID, a PEM private key, a GitHub, Slack or Stripe token,
#   a URL with a password), belongs in a Secret. Matches Polaris'
#   sensitiveConfigmapContent.
# custom:
#   id: configmap-secret-value
#   severity: warning
#   remediation: Move the value to a Secret and reference it from there.
#   kinds: [core/ConfigMap]
package kubegate.rules.configmap_secret_value

import data.kubegate.rules.env_secret_value

deny contains {"msg": msg, "path": ["data", key]} if {
	some key, value in object.get(input, "data", {})
	is_string(value)
	value != ""
	reason := why(key, value)
	msg := sprintf("ConfigMap key %s holds a value that %s; ConfigMaps are readable with view rights and not encrypted at rest", [key, reason])
}

why(key, value) := "looks like a credential" if {
	regex.match(env_secret_value.looks_secret, value)
} else := "its name says is a secret" if {
	regex.match(env_secret_value.secret_name, key)
	not regex.match(env_secret_value.not_a_secret, key)
	not env_secret_value.placeholder(value)
	# A key that is a file (app.properties) is a document, not a value.
	not contains(key, ".")
}
