package rules

import (
	"context"

	autoscalingv1 "k8s.io/api/autoscaling/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"

	"github.com/kubegate/kubegate/engine"
)

// hpaReplicas reports HorizontalPodAutoscaler replica bounds the API server
// rejects.
type hpaReplicas struct{}

var hpaReplicasMeta = engine.Meta{
	ID:    "hpa-replicas",
	Title: "HorizontalPodAutoscaler replica bounds are consistent",
	Description: "The API server rejects an autoscaler whose maxReplicas is below 1 or below minReplicas. " +
		"minReplicas defaults to 1 when left out; 0 (scaling to zero, the HPAScaleToZero feature, on by " +
		"default in current releases) is accepted only when at least one metric is of type Object or " +
		"External, since resource metrics of zero pods do not exist.",
	Remediation: "Set minReplicas <= maxReplicas, and minReplicas >= 1 unless an Object or External metric drives the autoscaler.",
	Severity:    engine.Error,
	Kinds:       []string{"autoscaling/HorizontalPodAutoscaler"},
	Source:      "go",
	DocURL:      DocURL("hpa-replicas"),
}

// Meta describes the rule.
func (hpaReplicas) Meta() engine.Meta { return hpaReplicasMeta }

// Check compares minReplicas (defaulted to 1) with maxReplicas.
func (hpaReplicas) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	var minReplicas *int32
	var maxReplicas int32
	scalesToZero := false // has an Object or External metric, which scaling to zero needs
	switch t := obj.TypedObject().(type) {
	case *autoscalingv2.HorizontalPodAutoscaler:
		minReplicas, maxReplicas = t.Spec.MinReplicas, t.Spec.MaxReplicas
		for _, m := range t.Spec.Metrics {
			scalesToZero = scalesToZero || m.Type == autoscalingv2.ObjectMetricSourceType || m.Type == autoscalingv2.ExternalMetricSourceType
		}
	case *autoscalingv1.HorizontalPodAutoscaler:
		minReplicas, maxReplicas = t.Spec.MinReplicas, t.Spec.MaxReplicas
	default:
		return nil, nil
	}
	lowest := int32(1)
	if minReplicas != nil {
		lowest = *minReplicas
	}
	spec := engine.NewPath("spec")
	var out []engine.Finding
	switch {
	case maxReplicas < 1:
		out = append(out, engine.NewFinding(hpaReplicasMeta, existing(obj, spec.Child("maxReplicas")),
			"maxReplicas is %d; the API server requires at least 1", maxReplicas))
	case lowest > maxReplicas:
		out = append(out, engine.NewFinding(hpaReplicasMeta, existing(obj, spec.Child("maxReplicas")),
			"maxReplicas %d is below minReplicas %d; the API server rejects it", maxReplicas, lowest))
	}
	switch {
	case lowest < 0:
		out = append(out, engine.NewFinding(hpaReplicasMeta, existing(obj, spec.Child("minReplicas")),
			"minReplicas is %d; the API server requires at least 0", lowest))
	case lowest == 0 && !scalesToZero:
		// Reported where the API server reports it: the metrics.
		out = append(out, engine.NewFinding(hpaReplicasMeta, existing(obj, spec.Child("metrics")),
			"minReplicas is 0, but scaling to zero needs at least one Object or External metric; the API server rejects it"))
	}
	return out, nil
}
