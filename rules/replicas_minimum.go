package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// replicasMinimum reports Deployments and StatefulSets that run fewer
// replicas than a node failure or a rollout can spare.
type replicasMinimum struct{ min int64 }

// defaultMinReplicas is the smallest count that survives losing one pod.
const defaultMinReplicas = 2

var replicasMinimumMeta = engine.Meta{
	ID:    "replicas-minimum",
	Title: "Workloads run enough replicas to survive losing one",
	Description: "With a single replica every node drain, eviction, crash or rollout of a Deployment or " +
		"StatefulSet is downtime, and a PodDisruptionBudget cannot help: it can only block the drain. spec.replicas " +
		"defaults to 1. A workload that a HorizontalPodAutoscaler in the set scales is judged by the " +
		"autoscaler (hpa-availability). Covers Polaris' deploymentMissingReplicas and kube-linter's " +
		"minimum-three-replicas (set min to 3).",
	Remediation: "Set spec.replicas to at least the minimum (2 by default), or let an autoscaler with minReplicas of 2 or more own it.",
	Severity:    engine.Warning,
	Kinds:       []string{"apps/Deployment", "apps/StatefulSet"},
	Params: []engine.ParamDesc{{Name: "min", Type: "int", Default: defaultMinReplicas,
		Description: "the smallest acceptable replica count"}},
	Source: "go",
	DocURL: DocURL("replicas-minimum"),
}

// Meta describes the rule.
func (replicasMinimum) Meta() engine.Meta { return replicasMinimumMeta }

// Configure sets the minimum.
func (r replicasMinimum) Configure(params map[string]any) (engine.Rule, error) {
	p := struct {
		Min int64 `json:"min"`
	}{Min: r.minimum()}
	if err := engine.DecodeParams(replicasMinimumMeta.ID, params, &p); err != nil {
		return nil, err
	}
	return replicasMinimum{min: p.Min}, nil
}

func (r replicasMinimum) minimum() int64 {
	if r.min == 0 {
		return defaultMinReplicas
	}
	return r.min
}

// Check compares spec.replicas with the minimum.
func (r replicasMinimum) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	n, set := replicasOf(obj)
	if n >= r.minimum() || targetingHPA(obj, inv) != nil {
		return nil, nil
	}
	if n == 0 && set {
		return nil, nil // scaled to zero on purpose
	}
	at := engine.NewPath("spec", "replicas")
	how := "runs"
	if !set {
		at, how = engine.NewPath("spec"), "sets no replicas, so it runs"
	}
	return []engine.Finding{engine.NewFinding(replicasMinimumMeta, at,
		"%s %q %s %d replica(s), fewer than %d: losing one pod (a drain, an eviction, a rollout) is downtime", obj.Kind, obj.Name, how, n, r.minimum())}, nil
}
