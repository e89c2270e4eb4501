package fix

import (
	"fmt"

	yaml "go.yaml.in/yaml/v3"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/schema"
)

// apiMove is a mechanical move of one kind off a deprecated API version.
type apiMove struct {
	to string
	// since is the first release that serves to: a move is made only when
	// the target release serves it.
	since schema.Version
	// fields makes the field changes the move needs and says what they
	// were ("" for none); nil when the schemas are the same.
	fields func(o *object, c *changeset) (string, error)
}

func v1(minor int) schema.Version { return schema.Version{Major: 1, Minor: minor} }

// apiMoveFor returns the move of a kind off a deprecated apiVersion, when
// there is a mechanical one: the successor has the same fields (or, for
// Ingress, fields that move one for one) and the same defaults, so the
// object means the same after the move. The deprecated moves left out,
// and why, are in docs/fix.md: apps and extensions workloads (defaults
// change: revisionHistoryLimit, updateStrategy, maxUnavailable), CRDs
// (structural schemas), admission webhooks (required fields, failurePolicy
// and timeout defaults), CertificateSigningRequest (signerName),
// EndpointSlice (topology), autoscaling/v2beta1 (metric targets move),
// flowcontrol (nominalConcurrencyShares semantics), PodSecurityPolicy (no
// successor).
func apiMoveFor(apiVersion, kind string) (apiMove, bool) {
	type from struct{ apiVersion, kind string }
	switch k := (from{apiVersion, kind}); k {
	case from{"extensions/v1beta1", "Ingress"}, from{"networking.k8s.io/v1beta1", "Ingress"}:
		return apiMove{to: "networking.k8s.io/v1", since: v1(19), fields: ingressV1}, true
	case from{"networking.k8s.io/v1beta1", "IngressClass"}:
		return apiMove{to: "networking.k8s.io/v1", since: v1(19)}, true
	case from{"extensions/v1beta1", "NetworkPolicy"}:
		return apiMove{to: "networking.k8s.io/v1", since: v1(7)}, true
	case from{"batch/v1beta1", "CronJob"}:
		return apiMove{to: "batch/v1", since: v1(21)}, true
	case from{"autoscaling/v2beta2", "HorizontalPodAutoscaler"}:
		return apiMove{to: "autoscaling/v2", since: v1(23)}, true
	case from{"policy/v1beta1", "PodDisruptionBudget"}:
		return apiMove{to: "policy/v1", since: v1(21), fields: pdbV1}, true
	case from{"node.k8s.io/v1beta1", "RuntimeClass"}:
		return apiMove{to: "node.k8s.io/v1", since: v1(20)}, true
	case from{"coordination.k8s.io/v1beta1", "Lease"}:
		return apiMove{to: "coordination.k8s.io/v1", since: v1(14)}, true
	case from{"apiregistration.k8s.io/v1beta1", "APIService"}:
		return apiMove{to: "apiregistration.k8s.io/v1", since: v1(10)}, true
	case from{"scheduling.k8s.io/v1alpha1", "PriorityClass"}, from{"scheduling.k8s.io/v1beta1", "PriorityClass"}:
		return apiMove{to: "scheduling.k8s.io/v1", since: v1(14)}, true
	case from{"storage.k8s.io/v1beta1", "StorageClass"}:
		return apiMove{to: "storage.k8s.io/v1", since: v1(6)}, true
	case from{"storage.k8s.io/v1alpha1", "VolumeAttachment"}, from{"storage.k8s.io/v1beta1", "VolumeAttachment"}:
		return apiMove{to: "storage.k8s.io/v1", since: v1(13)}, true
	case from{"storage.k8s.io/v1beta1", "CSINode"}:
		return apiMove{to: "storage.k8s.io/v1", since: v1(17)}, true
	case from{"storage.k8s.io/v1beta1", "CSIDriver"}:
		return apiMove{to: "storage.k8s.io/v1", since: v1(18)}, true
	case from{"storage.k8s.io/v1beta1", "CSIStorageCapacity"}:
		return apiMove{to: "storage.k8s.io/v1", since: v1(24)}, true
	}
	if apiVersion == "rbac.authorization.k8s.io/v1alpha1" || apiVersion == "rbac.authorization.k8s.io/v1beta1" {
		switch kind {
		case "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding":
			return apiMove{to: "rbac.authorization.k8s.io/v1", since: v1(8)}, true
		}
	}
	return apiMove{}, false
}

// fixDeprecatedAPI moves the object to its successor API version.
func fixDeprecatedAPI(o *object, _ engine.Finding, c *changeset, opts Options) (string, error) {
	av, kind := lookup(o.root, "apiVersion"), lookup(o.root, "kind")
	if av == nil || kind == nil {
		return "", skipf("the object has no apiVersion or kind")
	}
	move, ok := apiMoveFor(av.Value, kind.Value)
	if !ok {
		return "", skipf("%s %s has no mechanical move: its successor, if any, differs in more than the apiVersion (the finding's message says how); kubegate leaves it to you", av.Value, kind.Value)
	}
	target := opts.TargetVersion
	if target.IsZero() {
		target = schema.Latest()
	}
	if target.Less(move.since) {
		return "", skipf("%s %s is served from Kubernetes %s on, and the target release is %s", move.to, kind.Value, move.since, target)
	}
	var more string
	if move.fields != nil {
		var err error
		if more, err = move.fields(o, c); err != nil {
			return "", err
		}
	}
	if err := o.replaceScalar(c, av, move.to); err != nil {
		return "", err
	}
	desc := fmt.Sprintf("apiVersion %s → %s", av.Value, move.to)
	if more != "" {
		desc += "; " + more
	}
	return desc, nil
}

// pdbV1 allows the PodDisruptionBudget move only with a selector that
// selects something: policy/v1 reads an empty selector as every pod of the
// namespace, where policy/v1beta1 read it as none.
func pdbV1(o *object, _ *changeset) (string, error) {
	sel := lookup(lookup(o.root, "spec"), "selector")
	nonEmpty := func(key string) bool {
		v := lookup(sel, key)
		return v != nil && (v.Kind == yaml.MappingNode || v.Kind == yaml.SequenceNode) && len(v.Content) > 0
	}
	if sel == nil || !nonEmpty("matchLabels") && !nonEmpty("matchExpressions") {
		return "", skipf("policy/v1 reads an empty or missing spec.selector as every pod of the namespace, where policy/v1beta1 read it as none; write the selector you mean, then move to policy/v1")
	}
	return "", nil
}
