package fix

import (
	"fmt"
	"slices"

	yaml "go.yaml.in/yaml/v3"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/schema"
)

// apiMove is a mechanical move of one kind off deprecated API versions.
type apiMove struct {
	from []string
	kind string
	to   string
	// since is the first release that serves to: a move is made only when
	// the target release serves it.
	since schema.Version
	// fields makes the field changes the move needs and says what they
	// were ("" for none); nil when the schemas are the same.
	fields func(o *object, c *changeset) (string, error)
}

func v1(minor int) schema.Version { return schema.Version{Major: 1, Minor: minor} }

// apiMoves lists the mechanical moves: the successor has the same fields
// (or, for Ingress, fields that move one for one) and the same defaults,
// so the object means the same after the move. The deprecated APIs left
// out, and why, are in docs/fix.md: apps and extensions workloads
// (defaults change: revisionHistoryLimit, updateStrategy, maxUnavailable),
// CRDs (structural schemas), admission webhooks (required fields,
// failurePolicy and timeout defaults), CertificateSigningRequest
// (signerName), EndpointSlice (topology), autoscaling/v2beta1 (metric
// targets move), flowcontrol (nominalConcurrencyShares semantics),
// PodSecurityPolicy (no successor).
func apiMoves() []apiMove {
	return []apiMove{
		{from: []string{"extensions/v1beta1", "networking.k8s.io/v1beta1"}, kind: "Ingress", to: "networking.k8s.io/v1", since: v1(19), fields: ingressV1},
		{from: []string{"networking.k8s.io/v1beta1"}, kind: "IngressClass", to: "networking.k8s.io/v1", since: v1(19)},
		{from: []string{"extensions/v1beta1"}, kind: "NetworkPolicy", to: "networking.k8s.io/v1", since: v1(7)},
		{from: []string{"batch/v1beta1"}, kind: "CronJob", to: "batch/v1", since: v1(21)},
		{from: []string{"autoscaling/v2beta2"}, kind: "HorizontalPodAutoscaler", to: "autoscaling/v2", since: v1(23)},
		{from: []string{"policy/v1beta1"}, kind: "PodDisruptionBudget", to: "policy/v1", since: v1(21), fields: pdbV1},
		{from: []string{"node.k8s.io/v1beta1"}, kind: "RuntimeClass", to: "node.k8s.io/v1", since: v1(20)},
		{from: []string{"coordination.k8s.io/v1beta1"}, kind: "Lease", to: "coordination.k8s.io/v1", since: v1(14)},
		{from: []string{"apiregistration.k8s.io/v1beta1"}, kind: "APIService", to: "apiregistration.k8s.io/v1", since: v1(10)},
		{from: []string{"scheduling.k8s.io/v1alpha1", "scheduling.k8s.io/v1beta1"}, kind: "PriorityClass", to: "scheduling.k8s.io/v1", since: v1(14)},
		{from: []string{"storage.k8s.io/v1beta1"}, kind: "StorageClass", to: "storage.k8s.io/v1", since: v1(6)},
		{from: []string{"storage.k8s.io/v1alpha1", "storage.k8s.io/v1beta1"}, kind: "VolumeAttachment", to: "storage.k8s.io/v1", since: v1(13)},
		{from: []string{"storage.k8s.io/v1beta1"}, kind: "CSINode", to: "storage.k8s.io/v1", since: v1(17)},
		{from: []string{"storage.k8s.io/v1beta1"}, kind: "CSIDriver", to: "storage.k8s.io/v1", since: v1(18)},
		{from: []string{"storage.k8s.io/v1beta1"}, kind: "CSIStorageCapacity", to: "storage.k8s.io/v1", since: v1(24)},
		{from: []string{"rbac.authorization.k8s.io/v1alpha1", "rbac.authorization.k8s.io/v1beta1"}, kind: "Role", to: "rbac.authorization.k8s.io/v1", since: v1(8)},
		{from: []string{"rbac.authorization.k8s.io/v1alpha1", "rbac.authorization.k8s.io/v1beta1"}, kind: "ClusterRole", to: "rbac.authorization.k8s.io/v1", since: v1(8)},
		{from: []string{"rbac.authorization.k8s.io/v1alpha1", "rbac.authorization.k8s.io/v1beta1"}, kind: "RoleBinding", to: "rbac.authorization.k8s.io/v1", since: v1(8)},
		{from: []string{"rbac.authorization.k8s.io/v1alpha1", "rbac.authorization.k8s.io/v1beta1"}, kind: "ClusterRoleBinding", to: "rbac.authorization.k8s.io/v1", since: v1(8)},
	}
}

// apiMoveFor returns the mechanical move of a kind off apiVersion, if any.
func apiMoveFor(apiVersion, kind string) (apiMove, bool) {
	for _, m := range apiMoves() {
		if m.kind == kind && slices.Contains(m.from, apiVersion) {
			return m, true
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
