package kubegate.rules.webhook_failure_policy_test

import data.kubegate.rules.webhook_failure_policy

test_ignore if {
	count(webhook_failure_policy.deny) == 1 with input as {"kind": "ValidatingWebhookConfiguration", "webhooks": [{"name": "a.example.com", "failurePolicy": "Ignore"}, {"name": "b.example.com"}]}
}

test_fail if {
	count(webhook_failure_policy.deny) == 0 with input as {"kind": "MutatingWebhookConfiguration", "webhooks": [{"name": "a.example.com", "failurePolicy": "Fail"}]}
}
