package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// ingressTLSSecret reports Ingress TLS entries whose Secret is not in the
// set or holds no certificate.
type ingressTLSSecret struct{}

var ingressTLSSecretMeta = engine.Meta{
	ID:    "ingress-tls-secret",
	Title: "Ingresses serve TLS from secrets that exist",
	Description: "Each spec.tls entry names a Secret of the Ingress' namespace holding tls.crt and tls.key. When " +
		"the Secret is missing, or holds neither key, controllers serve their built-in self-signed certificate " +
		"(ingress-nginx's \"Kubernetes Ingress Controller Fake Certificate\") and clients fail TLS verification. " +
		"A missing Secret is a warning when the set holds Secrets and information when it holds none: TLS " +
		"secrets are often created by cert-manager or applied from a vault, not kept with the manifests. An Ingress " +
		"with rules and no tls section at all is reported as information: its hosts are plain HTTP unless the " +
		"controller or a load balancer in front terminates TLS. Covers Polaris' tlsSettingsMissing.",
	Remediation: "Create a Secret of type kubernetes.io/tls with tls.crt and tls.key in the Ingress' namespace " +
		"(for example with cert-manager), or fix secretName.",
	Severity: engine.Warning,
	Kinds:    []string{"networking.k8s.io/Ingress"},
	Source:   "go",
	DocURL:   DocURL("ingress-tls-secret"),
}

// Meta describes the rule.
func (ingressTLSSecret) Meta() engine.Meta { return ingressTLSSecretMeta }

// Check looks each TLS secret up in the Ingress' namespace.
func (ingressTLSSecret) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	if obj.APIVersion != "networking.k8s.io/v1" || inv == nil {
		return nil, nil
	}
	ns := obj.EffectiveNamespace()
	var out []engine.Finding
	if len(rawList(obj.Raw, "spec", "tls")) == 0 && len(rawList(obj.Raw, "spec", "rules")) > 0 {
		f := engine.NewFinding(ingressTLSSecretMeta, engine.NewPath("spec"),
			"the Ingress has no tls section: its hosts are served over plain HTTP unless the controller terminates TLS on its own")
		f.Severity = engine.Info
		out = append(out, f)
	}
	for i, t := range rawList(obj.Raw, "spec", "tls") {
		name, _ := rawString(t, "secretName")
		if name == "" {
			// Without a secret the controller's default certificate is
			// used, which is a choice some clusters make on purpose.
			continue
		}
		at := engine.NewPath("spec", "tls", i, "secretName")
		secret, ok := inv.Get(secretKind, ns, name)
		if !ok {
			if len(inv.List(secretKind, "")) > 0 {
				out = append(out, engine.NewFinding(ingressTLSSecretMeta, at,
					"TLS Secret %q is not in namespace %q of the set: the controller serves its default certificate", name, ns))
			} else {
				f := engine.NewFinding(ingressTLSSecretMeta, at,
					"TLS Secret %q is not in the set (it holds no Secrets); make sure it exists in namespace %q, for example through cert-manager", name, ns)
				f.Severity = engine.Info
				out = append(out, f)
			}
			continue
		}
		var missing []string
		for _, key := range []string{"tls.crt", "tls.key"} {
			_, inData := rawGet(secret.Raw, "data", key)
			_, inString := rawGet(secret.Raw, "stringData", key)
			if !inData && !inString {
				missing = append(missing, key)
			}
		}
		if len(missing) > 0 {
			out = append(out, engine.NewFinding(ingressTLSSecretMeta, at,
				"Secret %q has no %s: the controller cannot use it and serves its default certificate", name, joinAnd(missing)))
		}
	}
	return out, nil
}

// joinAnd joins words as "a", "a and b".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	s := words[0]
	for _, w := range words[1 : len(words)-1] {
		s += ", " + w
	}
	return s + " and " + words[len(words)-1]
}
