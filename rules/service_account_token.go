package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// serviceAccountToken reports pods that get an API token mounted, and pods
// that run as the namespace's default account.
type serviceAccountToken struct{}

var serviceAccountTokenMeta = engine.Meta{
	ID:    "service-account-token",
	Title: "Pods mount an API token only when they use it",
	Description: "Unless automountServiceAccountToken is false (on the pod, or else on its ServiceAccount), the " +
		"kubelet mounts a token of the pod's ServiceAccount into every container, and whoever gets into a " +
		"container can call the API server with it; most applications never do. A pod without " +
		"serviceAccountName runs as the namespace's \"default\" account, which tools and bindings often grant " +
		"rights to. A pod that sets automountServiceAccountToken to true under its own account has decided and " +
		"is not reported. The pod's field wins over the ServiceAccount's; when the pod says nothing, the " +
		"ServiceAccount in the set (if it is there) decides. PodTemplates are skipped: they are not run as " +
		"they are. Covers Polaris' automountServiceAccountToken and kube-linter's default-service-account.",
	Remediation: "Give the pod its own serviceAccountName, and set automountServiceAccountToken to false (in the " +
		"pod spec or on the ServiceAccount) unless the application calls the API server.",
	Severity: engine.Warning,
	Kinds:    workloadKinds,
	Source:   "go",
	DocURL:   DocURL("service-account-token"),
}

// Meta describes the rule.
func (serviceAccountToken) Meta() engine.Meta { return serviceAccountTokenMeta }

// Check works out the effective automount setting.
func (serviceAccountToken) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	if obj.Kind == "PodTemplate" {
		return nil, nil
	}
	at, spec := podSpecPath(obj)
	if spec == nil {
		return nil, nil
	}
	account, _ := rawString(spec, "serviceAccountName")
	if account == "" {
		// The deprecated field, still honoured when the new one is empty.
		account, _ = rawString(spec, "serviceAccount")
	}
	if account == "" {
		account = "default"
	}

	// An explicit true on the pod is a decision (the application calls
	// the API server); only the default is reported for a pod's own
	// account.
	automount, explicit, where := true, false, at.Child("serviceAccountName")
	if v, ok := rawGet(spec, "automountServiceAccountToken"); ok && v != nil {
		b, isBool := v.(bool)
		if !isBool {
			return nil, nil // the schema rule reports the type
		}
		automount, explicit, where = b, true, at.Child("automountServiceAccountToken")
	} else if inv != nil {
		if sa, ok := inv.Get(serviceAccountKind, obj.EffectiveNamespace(), account); ok {
			if b, ok := rawGet(sa.Raw, "automountServiceAccountToken"); ok {
				if b, isBool := b.(bool); isBool {
					automount = b
				}
			}
		}
	}

	switch {
	case account == "default" && automount:
		return []engine.Finding{engine.NewFinding(serviceAccountTokenMeta, existing(obj, where),
			"the pod runs as the namespace's default ServiceAccount and mounts its API token; give it its own account, and set automountServiceAccountToken to false unless it calls the API server")}, nil
	case account == "default":
		return []engine.Finding{engine.NewFinding(serviceAccountTokenMeta, existing(obj, at.Child("serviceAccountName")),
			"the pod runs as the namespace's default ServiceAccount; give it its own, so that bindings to it grant only what it needs")}, nil
	case automount && !explicit:
		return []engine.Finding{engine.NewFinding(serviceAccountTokenMeta, existing(obj, where),
			"the pod mounts an API token of ServiceAccount %q into every container; set automountServiceAccountToken to false (here or on the account) unless it calls the API server", account)}, nil
	}
	return nil, nil
}
