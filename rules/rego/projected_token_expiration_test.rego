package kubegate.rules.projected_token_expiration_test

import data.kubegate.rules.projected_token_expiration

pod(secs) := {"kind": "Pod", "spec": {"containers": [{"name": "c"}], "volumes": [{"name": "token", "projected": {"sources": [{"serviceAccountToken": {"path": "token", "expirationSeconds": secs}}]}}]}}

test_week if {
	count(projected_token_expiration.deny) == 1 with input as pod(604800)
}

test_hour if {
	count(projected_token_expiration.deny) == 0 with input as pod(3600)
}
