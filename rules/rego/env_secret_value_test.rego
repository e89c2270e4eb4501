package kubegate.rules.env_secret_value_test

import data.kubegate.rules.env_secret_value

pod(env) := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "a", "image": "x", "env": env}]}}

test_secret_names_fail if {
	count(env_secret_value.deny) == 3 with input as pod([
		{"name": "DB_PASSWORD", "value": "hunter2"},
		{"name": "API_KEY", "value": "abc"},
		{"name": "githubToken", "value": "abc"},
	])
}

test_credential_values_fail if {
	count(env_secret_value.deny) == 2 with input as pod([
		{"name": "AWS_ID", "value": "AKIAIOSFODNN7EXAMPLE"},
		{"name": "DATABASE_URL", "value": "postgres://app:s3cret@db:5432/app"},
	])
}

test_harmless_names_pass if {
	count(env_secret_value.deny) == 0 with input as pod([
		{"name": "TOKEN_URL", "value": "https://auth/token"},
		{"name": "SECRET_NAME", "value": "db-creds"},
		{"name": "PASSWORD_FILE", "value": "/run/secrets/pw"},
		{"name": "AWS_ACCESS_KEY_ID", "value": "from-role"},
		{"name": "AUTH_TOKEN_ENABLED", "value": "true"},
		{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}}},
		{"name": "DATABASE_URL", "value": "postgres://db:5432/app"},
	])
}
