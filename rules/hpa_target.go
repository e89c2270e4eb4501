package rules

import (
	"context"

	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/kubegate/kubegate/engine"
)

// hpaTarget reports autoscalers whose scaleTargetRef is not in the set.
type hpaTarget struct{}

var hpaTargetMeta = engine.Meta{
	ID:    "hpa-target",
	Title: "HorizontalPodAutoscalers target a workload of the set",
	Description: "An autoscaler whose scaleTargetRef names nothing that exists does nothing (its status says " +
		"FailedGetScale). When the target is not among the manifests it must already be in the cluster; a " +
		"misspelt name or a kind that changed (a Deployment turned StatefulSet) shows up here. Covers " +
		"kube-linter's dangling-horizontalpodautoscaler and kube-score's horizontalpodautoscaler-has-target.",
	Remediation: "Point scaleTargetRef at the workload's apiVersion, kind and name.",
	Severity:    engine.Warning,
	Kinds:       []string{"autoscaling/HorizontalPodAutoscaler"},
	Source:      "go",
	DocURL:      DocURL("hpa-target"),
}

// Meta describes the rule.
func (hpaTarget) Meta() engine.Meta { return hpaTargetMeta }

// Check looks the target up.
func (hpaTarget) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	if inv == nil {
		return nil, nil
	}
	ref := rawMap(obj.Raw, "spec", "scaleTargetRef")
	kind, _ := rawString(ref, "kind")
	name, _ := rawString(ref, "name")
	apiVersion, _ := rawString(ref, "apiVersion")
	if kind == "" || name == "" {
		return nil, nil // the schema rule
	}
	gv, err := schema.ParseGroupVersion(apiVersion)
	if err != nil {
		return nil, nil //nolint:nilerr // an invalid apiVersion is the API server's to reject
	}
	if _, ok := inv.Get(engine.GroupKind{Group: gv.Group, Kind: kind}, obj.EffectiveNamespace(), name); ok {
		return nil, nil
	}
	return []engine.Finding{engine.NewFinding(hpaTargetMeta, engine.NewPath("spec", "scaleTargetRef", "name"),
		"scaleTargetRef names %s %s/%s, which is not in the set; the autoscaler scales nothing unless it exists in the cluster", kind, obj.EffectiveNamespace(), name)}, nil
}
