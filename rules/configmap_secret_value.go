package rules

import (
	"context"
	"strings"

	"github.com/kubegate/kubegate/engine"
)

// configMapSecretValue reports ConfigMap values that are secrets: by the
// key's name or by the look of the value, with env-secret-value's
// patterns. It was the Rego policy kubegate.rules.configmap_secret_value,
// ported to Go for speed; it reports the same findings.
type configMapSecretValue struct{}

var configMapSecretValueMeta = engine.Meta{
	ID:    "configmap-secret-value",
	Title: "ConfigMaps hold no credentials",
	Description: "ConfigMaps are readable by everyone with view rights in the namespace (the built-in view " +
		"role grants them, Secrets it does not) and are not encrypted at rest. A key whose name says " +
		"password, token, secret or private key with a value, or a value that looks like a credential (an " +
		"AWS access key ID, a PEM private key, a GitHub, Slack or Stripe token, a URL with a password), " +
		"belongs in a Secret. Matches Polaris' sensitiveConfigmapContent.",
	Remediation: "Move the value to a Secret and reference it from there.",
	Severity:    engine.Warning,
	Kinds:       []string{"core/ConfigMap"},
	Source:      "go",
	DocURL:      DocURL("configmap-secret-value"),
}

// Meta describes the rule.
func (configMapSecretValue) Meta() engine.Meta { return configMapSecretValueMeta }

// Check reports each non-empty string value of data that is a secret, at
// its key.
func (configMapSecretValue) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	data, ok := obj.Raw["data"]
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	// As in the policy, data that is a list is read as well: its index is
	// the key, which no name matches.
	for at, v := range rawItems(data) {
		value, _ := v.(string)
		if value == "" {
			continue
		}
		reason := reasonLooksSecret
		if !looksSecret(value) {
			// A key that is a file (app.properties) is a document, not a
			// value.
			if at.IsIndex || strings.Contains(at.Key, ".") || !secretNamed(at.Key, value) {
				continue
			}
			reason = reasonSecretName
		}
		out = append(out, engine.NewFinding(configMapSecretValueMeta, engine.Path{{Key: "data"}, at},
			"ConfigMap key %s holds a value that %s; ConfigMaps are readable with view rights and not encrypted at rest",
			elemArg(at), reason))
	}
	return out, nil
}
