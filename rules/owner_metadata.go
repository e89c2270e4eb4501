package rules

import (
	"context"
	"regexp"

	"github.com/kubegate/kubegate/engine"
)

// ownerMetadata reports objects without an owner label or a mail address in
// an email annotation. It was ported from Rego for speed and reports exactly
// what the policy did.
type ownerMetadata struct{}

var ownerMetadataMeta = engine.Meta{
	ID:    "owner-metadata",
	Title: "Objects name their owner",
	Description: "When an object misbehaves at 3 a.m., the on-call engineer needs to know " +
		"whose it is. This rule asks every object for an owner label and an " +
		"email annotation holding a mail address. Off by default: teams pick " +
		"their own keys, and a policy of their own (see docs/policies.md) is the " +
		"place for that. Matches kube-linter's required-label-owner and " +
		"required-annotation-email.",
	Remediation: "Add metadata.labels.owner (the owning team) and metadata.annotations.email (its address).",
	Severity:    engine.Warning,
	// The policy named no kinds: it applies to every kind.
	Kinds:    []string{"*"},
	Source:   "go",
	DocURL:   DocURL("owner-metadata"),
	Disabled: true,
}

// mailAddressRE is what the email annotation must match: the policy's
// regex.match pattern (OPA uses Go's regexp, so the semantics are the
// same).
var mailAddressRE = regexp.MustCompile(`^[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+$`)

// Meta describes the rule.
func (ownerMetadata) Meta() engine.Meta { return ownerMetadataMeta }

// Check reports, at metadata, an object whose metadata.labels.owner is
// missing (or false, which Rego's `not` also takes for absent), and one
// whose metadata.annotations.email is not a string matching a mail address
// (a missing one counts as ""; a non-string value is reported as Rego
// prints it).
func (ownerMetadata) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	var out []engine.Finding
	if owner, ok := rawGet(obj.Raw, "metadata", "labels", "owner"); !ok || owner == false {
		out = append(out, engine.NewFinding(ownerMetadataMeta, engine.NewPath("metadata"), "the object has no owner label"))
	}
	email, ok := rawGet(obj.Raw, "metadata", "annotations", "email")
	if !ok {
		email = ""
	}
	if s, isString := email.(string); !isString || !mailAddressRE.MatchString(s) {
		out = append(out, engine.NewFinding(ownerMetadataMeta, engine.NewPath("metadata"),
			"the object has no email annotation with a mail address (found %q)", regoArg(email)))
	}
	return out, nil
}
