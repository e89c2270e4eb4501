# METADATA
# title: Admission webhooks fail closed
# description: |
#   With failurePolicy Ignore, the API server admits a request whenever the
#   webhook cannot be reached, times out or errors: a webhook that enforces
#   policy is switched off by taking its pods down, and every outage lets
#   unchecked objects in silently. Fail (the default of
#   admissionregistration.k8s.io/v1) rejects instead, so the webhook needs
#   replicas, a PodDisruptionBudget and a namespaceSelector that leaves
#   its own namespace out. Matches kube-linter's
#   webhook-failure-policy-ignore.
# custom:
#   id: webhook-failure-policy
#   severity: warning
#   remediation: Set failurePolicy to Fail, run the webhook with several replicas and a PodDisruptionBudget, and exempt kube-system and the webhook's own namespace with a namespaceSelector.
#   kinds: [admissionregistration.k8s.io/ValidatingWebhookConfiguration, admissionregistration.k8s.io/MutatingWebhookConfiguration]
package kubegate.rules.webhook_failure_policy

deny contains {"msg": msg, "path": ["webhooks", i, "failurePolicy"]} if {
	some i, w in input.webhooks
	w.failurePolicy == "Ignore"
	msg := sprintf("webhook %q has failurePolicy Ignore: whenever it is down or slow, the API server admits requests unchecked", [w.name])
}
