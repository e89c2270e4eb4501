# METADATA
# title: Objects name their owner
# description: |
#   When an object misbehaves at 3 a.m., the on-call engineer needs to know
#   whose it is. This rule asks every object for an owner label and an
#   email annotation holding a mail address. Off by default: teams pick
#   their own keys, and a policy of their own (see docs/policies.md) is the
#   place for that. Matches kube-linter's required-label-owner and
#   required-annotation-email.
# custom:
#   id: owner-metadata
#   severity: warning
#   disabled: true
#   remediation: Add metadata.labels.owner (the owning team) and metadata.annotations.email (its address).
package kubegate.rules.owner_metadata

deny contains {"msg": msg, "path": ["metadata"]} if {
	not input.metadata.labels.owner
	msg := "the object has no owner label"
}

deny contains {"msg": msg, "path": ["metadata"]} if {
	email := object.get(input, ["metadata", "annotations", "email"], "")
	not regex.match(`^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$`, email)
	msg := sprintf("the object has no email annotation with a mail address (found %q)", [email])
}
