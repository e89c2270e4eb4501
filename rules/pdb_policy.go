package rules

import (
	"context"
	"strings"

	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubegate/kubegate/engine"
)

// pdbPolicy reports PodDisruptionBudgets that select nothing or can never
// allow an eviction.
type pdbPolicy struct{}

var pdbPolicyMeta = engine.Meta{
	ID:    "pdb-policy",
	Title: "PodDisruptionBudgets select pods and allow evictions",
	Description: "A PodDisruptionBudget that selects no pod template of the set protects nothing. One that can " +
		"never allow an eviction (maxUnavailable 0 or 0%, minAvailable 100%, or a minAvailable at or above the " +
		"replicas of the workloads it selects, counting an autoscaled one at its HorizontalPodAutoscaler's " +
		"minReplicas) blocks every node drain: cluster upgrades and node autoscaling " +
		"stall until someone deletes it. Without unhealthyPodEvictionPolicy: AlwaysAllow, pods that are running " +
		"but not ready also count against the budget, so a crash-looping workload blocks drains too (info). " +
		"Runs that hold no pod template are not judged on selection. Covers kube-linter's pdb-max-unavailable, " +
		"pdb-min-available and pdb-unhealthy-pod-eviction-policy, kube-score's poddisruptionbudget-has-policy " +
		"and Polaris' pdbDisruptionsIsZero and pdbMinAvailableGreaterThanOrEqualToHPAMinReplicas.",
	Remediation: "Select the workload's pod labels and allow at least one eviction: maxUnavailable: 1, or a " +
		"minAvailable below the replica count; set unhealthyPodEvictionPolicy: AlwaysAllow.",
	Severity: engine.Warning,
	Kinds:    []string{"policy/PodDisruptionBudget"},
	Source:   "go",
	DocURL:   DocURL("pdb-policy"),
}

// Meta describes the rule.
func (pdbPolicy) Meta() engine.Meta { return pdbPolicyMeta }

// Check judges the selector and the budget.
func (pdbPolicy) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	var out []engine.Finding
	spec := rawMap(obj.Raw, "spec")
	_, hasMin := rawGet(spec, "minAvailable")
	_, hasMax := rawGet(spec, "maxUnavailable")
	if !hasMin && !hasMax {
		// The API server defaults minAvailable to 1.
		out = append(out, engine.NewFinding(pdbPolicyMeta, existing(obj, engine.NewPath("spec")),
			"the budget sets neither minAvailable nor maxUnavailable; minAvailable defaults to 1, so say which you mean"))
	}
	if v, ok := intOrPercent(spec, "maxUnavailable"); ok && (v.IntValue() == 0 && v.Type == intstr.Int || v.Type == intstr.String && strings.TrimSpace(v.StrVal) == "0%") {
		out = append(out, engine.NewFinding(pdbPolicyMeta, engine.NewPath("spec", "maxUnavailable"),
			"maxUnavailable is %s: no pod may ever be evicted, so every node drain blocks", v.String()))
	}
	if v, ok := intOrPercent(spec, "minAvailable"); ok && v.Type == intstr.String && strings.TrimSpace(v.StrVal) == "100%" {
		out = append(out, engine.NewFinding(pdbPolicyMeta, engine.NewPath("spec", "minAvailable"),
			"minAvailable is %s: no pod may ever be evicted, so every node drain blocks", v.StrVal))
	}

	pts := engine.PodTemplatesOf(inv)
	if sel, ok := rawLabelSelector(rawMap(spec, "selector")); ok && pts.Any() {
		selected := pts.Select(obj.EffectiveNamespace(), sel)
		if len(selected) == 0 {
			out = append(out, engine.NewFinding(pdbPolicyMeta, existing(obj, engine.NewPath("spec", "selector")),
				"selector %s matches no pod template in namespace %q of the set: the budget protects nothing", sel, obj.EffectiveNamespace()))
		} else if v, ok := intOrPercent(spec, "minAvailable"); ok && v.Type == intstr.Int {
			replicas, scaled, known := selectedReplicas(selected, inv)
			switch {
			case known && scaled && int64(v.IntValue()) >= replicas:
				out = append(out, engine.NewFinding(pdbPolicyMeta, engine.NewPath("spec", "minAvailable"),
					"minAvailable is %d but the pods it selects (%s) number %d at their HorizontalPodAutoscaler's minReplicas: at low load no pod may be evicted, so node drains block", v.IntValue(), ownerNames(selected), replicas))
			case known && int64(v.IntValue()) >= replicas:
				out = append(out, engine.NewFinding(pdbPolicyMeta, engine.NewPath("spec", "minAvailable"),
					"minAvailable is %d but the pods it selects (%s) number %d: no pod may ever be evicted, so every node drain blocks", v.IntValue(), ownerNames(selected), replicas))
			}
		}
	}

	if p, _ := rawString(spec, "unhealthyPodEvictionPolicy"); p != "AlwaysAllow" {
		f := engine.NewFinding(pdbPolicyMeta, existing(obj, engine.NewPath("spec", "unhealthyPodEvictionPolicy")),
			"unhealthyPodEvictionPolicy is not AlwaysAllow: pods that run but are not ready count against the budget, so a broken rollout blocks drains")
		f.Severity = engine.Info
		out = append(out, f)
	}
	return out, nil
}

// intOrPercent reads an int-or-string field.
func intOrPercent(m map[string]any, key string) (intstr.IntOrString, bool) {
	switch v := m[key].(type) {
	case int64:
		return intstr.FromInt32(int32(v)), true //nolint:gosec // a replica count
	case string:
		return intstr.FromString(v), true
	}
	return intstr.IntOrString{}, false
}

// selectedReplicas adds up the replicas of the selected templates' owners,
// counting an autoscaled owner at its HorizontalPodAutoscaler's
// minReplicas (default 1), the fewest pods it runs; scaled says one was.
// known is false when an owner scales on its own (a DaemonSet, a Job).
func selectedReplicas(ts []engine.PodTemplate, inv engine.Inventory) (n int64, scaled, known bool) {
	for _, t := range ts {
		switch t.Owner.Kind {
		case "Pod":
			n++
		case "Deployment", "StatefulSet", "ReplicaSet", "ReplicationController":
			if h := targetingHPA(t.Owner, inv); h != nil {
				m, ok := rawInt(h.Raw, "spec", "minReplicas")
				if !ok {
					m = 1
				}
				n += m
				scaled = true
				continue
			}
			r, _ := replicasOf(t.Owner)
			n += r
		default:
			return 0, false, false
		}
	}
	return n, scaled, true
}
