package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// networkPolicySelector reports NetworkPolicies, and their peers, that
// select no pod of the set.
type networkPolicySelector struct{}

var networkPolicySelectorMeta = engine.Meta{
	ID:    "networkpolicy-selector",
	Title: "NetworkPolicies select pods that exist",
	Description: "A NetworkPolicy applies to the pods its podSelector matches in its namespace; one that matches " +
		"no pod template of the set protects nothing, and a peer (from/to) podSelector without a " +
		"namespaceSelector that matches no pod of the namespace allows nothing. Both are usually a label typo, " +
		"and both fail silently. An empty podSelector ({}) selects every pod and is fine. Runs that hold no pod " +
		"template at all are skipped. Covers kube-linter's dangling-networkpolicy and " +
		"dangling-networkpolicypeer-podselector and kube-score's networkpolicy-targets-pod.",
	Remediation: "Make the selector match the pod template's labels.",
	Severity:    engine.Warning,
	Kinds:       []string{"networking.k8s.io/NetworkPolicy"},
	Source:      "go",
	DocURL:      DocURL("networkpolicy-selector"),
}

// Meta describes the rule.
func (networkPolicySelector) Meta() engine.Meta { return networkPolicySelectorMeta }

// Check looks the selectors up among the namespace's pod templates.
func (networkPolicySelector) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	pts := engine.PodTemplatesOf(inv)
	if !pts.Any() {
		return nil, nil
	}
	ns := obj.EffectiveNamespace()
	var out []engine.Finding
	if sel, ok := rawLabelSelector(rawMap(obj.Raw, "spec", "podSelector")); ok && !sel.Empty() && len(pts.Select(ns, sel)) == 0 {
		out = append(out, engine.NewFinding(networkPolicySelectorMeta, engine.NewPath("spec", "podSelector"),
			"podSelector %s matches no pod template in namespace %q of the set: the policy applies to nothing", sel, ns))
	}
	for _, dir := range []struct{ rules, peers string }{{"ingress", "from"}, {"egress", "to"}} {
		for i, r := range rawList(obj.Raw, "spec", dir.rules) {
			for j, peer := range rawList(r, dir.peers) {
				if _, cross := rawGet(peer, "namespaceSelector"); cross {
					continue // other namespaces: not in the set's knowledge
				}
				sel, ok := rawLabelSelector(rawMap(peer, "podSelector"))
				if !ok || sel.Empty() || len(pts.Select(ns, sel)) > 0 {
					continue
				}
				out = append(out, engine.NewFinding(networkPolicySelectorMeta, engine.NewPath("spec", dir.rules, i, dir.peers, j, "podSelector"),
					"%s peer podSelector %s matches no pod template in namespace %q of the set: it allows nothing", dir.rules, sel, ns))
			}
		}
	}
	return out, nil
}
