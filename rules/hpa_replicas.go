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
	Description: "The API server rejects an autoscaler whose maxReplicas is below 1 or below minReplicas, " +
		"and one whose minReplicas is below 1 (scaling to zero needs the alpha HPAScaleToZero feature " +
		"gate). minReplicas defaults to 1 when left out.",
	Remediation: "Set 1 <= minReplicas <= maxReplicas.",
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
	switch t := obj.Typed.(type) {
	case *autoscalingv2.HorizontalPodAutoscaler:
		minReplicas, maxReplicas = t.Spec.MinReplicas, t.Spec.MaxReplicas
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
	if lowest < 1 {
		out = append(out, engine.NewFinding(hpaReplicasMeta, existing(obj, spec.Child("minReplicas")),
			"minReplicas is %d; the API server requires at least 1 unless the alpha HPAScaleToZero feature is on", lowest))
	}
	return out, nil
}
