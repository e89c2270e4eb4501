package rules

import (
	"context"

	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubegate/kubegate/engine"
)

// networkPolicyMissing reports pod templates no NetworkPolicy selects.
type networkPolicyMissing struct{}

var networkPolicyMissingMeta = engine.Meta{
	ID:    "networkpolicy-missing",
	Title: "Pods are isolated by a NetworkPolicy",
	Description: "A pod no NetworkPolicy selects accepts traffic from every pod of every namespace and may " +
		"connect anywhere: one compromised pod reaches it, and it reaches the cloud metadata endpoint and the " +
		"rest of the cluster. Once any policy of its namespace selects a pod, only what the policies allow gets " +
		"through (when the cluster's network plugin enforces them). The pod template is matched against the " +
		"podSelector of every NetworkPolicy of its namespace in the set. A warning when the set holds " +
		"NetworkPolicies (the pod was probably missed), information when it holds none (isolation may be " +
		"applied by the cluster). Covers kube-linter's non-isolated-pod, kube-score's pod-networkpolicy and " +
		"Polaris' missingNetworkPolicy.",
	Remediation: "Add a NetworkPolicy for the namespace, for example a default deny for ingress and egress " +
		"(podSelector: {}) plus policies allowing the traffic the pods need.",
	Severity: engine.Warning,
	Kinds:    []string{"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"},
	Source:   "go",
	DocURL:   DocURL("networkpolicy-missing"),
}

// Meta describes the rule.
func (networkPolicyMissing) Meta() engine.Meta { return networkPolicyMissingMeta }

// Check matches the template against its namespace's policies.
func (networkPolicyMissing) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	if inv == nil {
		return nil, nil
	}
	tl, ok := templateLabelsOf(obj)
	if !ok {
		return nil, nil
	}
	ns := obj.EffectiveNamespace()
	for _, np := range inv.List(networkPolicyKind, ns) {
		sel, ok := rawLabelSelector(rawMap(np.Raw, "spec", "podSelector"))
		if !ok {
			if rawMap(np.Raw, "spec", "podSelector") != nil {
				continue // invalid; selector-operators reports it
			}
			sel = labels.Everything() // an absent podSelector is rejected, but reads as all pods
		}
		if sel.Matches(tl) {
			return nil, nil
		}
	}
	at := existing(obj, engine.NewPath("metadata", "labels"))
	if ref, ok := engine.PodSpecOf(obj); ok && obj.Kind != "Pod" {
		// The template's metadata sits beside its spec.
		at = existing(obj, ref.Path[:len(ref.Path)-1].Child("metadata", "labels"))
	}
	if len(inv.List(networkPolicyKind, "")) == 0 {
		f := engine.NewFinding(networkPolicyMissingMeta, at,
			"the set holds no NetworkPolicies: unless the cluster isolates namespace %q otherwise, the pods of %s %q accept traffic from everywhere", ns, obj.Kind, obj.Name)
		f.Severity = engine.Info
		return []engine.Finding{f}, nil
	}
	return []engine.Finding{engine.NewFinding(networkPolicyMissingMeta, at,
		"no NetworkPolicy in namespace %q selects the pods of %s %q: they accept traffic from every pod of the cluster", ns, obj.Kind, obj.Name)}, nil
}
