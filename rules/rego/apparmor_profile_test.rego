package kubegate.rules.apparmor_profile_test

import data.kubegate.rules.apparmor_profile

test_unconfined_field_fails if {
	p := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"securityContext": {"appArmorProfile": {"type": "Unconfined"}}, "containers": [{"name": "app", "image": "x"}]}}
	some f in apparmor_profile.deny with input as p
	f.path == ["spec", "securityContext", "appArmorProfile", "type"]
}

test_unconfined_annotation_fails if {
	d := {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"}, "spec": {"template": {
		"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/app": "unconfined"}},
		"spec": {"containers": [{"name": "app", "image": "x"}]},
	}}}
	some f in apparmor_profile.deny with input as d
	f.path == ["spec", "template", "metadata", "annotations", "container.apparmor.security.beta.kubernetes.io/app"]
	contains(f.msg, "container \"app\"")
}

test_default_passes if {
	p := {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "annotations": {"container.apparmor.security.beta.kubernetes.io/app": "runtime/default"}}, "spec": {"containers": [{"name": "app", "image": "x", "securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}}]}}
	count(apparmor_profile.deny) == 0 with input as p
}
