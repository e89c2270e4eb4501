package rules

import (
	"context"

	appsv1 "k8s.io/api/apps/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubegate/kubegate/engine"
)

// rollingUpdateZero reports rolling updates that could never make
// progress: maxSurge and maxUnavailable both 0, which the API server
// rejects, and a maxUnavailable percentage above 100%.
type rollingUpdateZero struct{}

var rollingUpdateZeroMeta = engine.Meta{
	ID:    "rolling-update-zero",
	Title: "Rolling update can make progress",
	Description: "A rolling update either adds pods above the desired count (maxSurge) or takes pods down " +
		"(maxUnavailable). With both 0 it can do neither, so the API server rejects the Deployment or " +
		"DaemonSet (\"may not be 0 when maxSurge is 0\"). An unset value defaults to 25% for a " +
		"Deployment; for a DaemonSet maxUnavailable defaults to 1 and maxSurge to 0. A percentage above " +
		"100% is rejected too.",
	Remediation: "Allow at least one: maxSurge: 1 (a new pod starts before an old one stops) or " +
		"maxUnavailable: 1.",
	Severity: engine.Error,
	Kinds:    []string{"apps/Deployment", "apps/DaemonSet"},
	Source:   "go",
	DocURL:   DocURL("rolling-update-zero"),
}

// Meta describes the rule.
func (rollingUpdateZero) Meta() engine.Meta { return rollingUpdateZeroMeta }

// Check applies the API server's defaults, then its rules.
func (rollingUpdateZero) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	at := engine.NewPath("spec", "strategy", "rollingUpdate")
	var surge, unavailable *intstr.IntOrString
	// Defaults from SetDefaults_Deployment and SetDefaults_DaemonSet.
	defaultSurge, defaultUnavailable := intstr.FromString("25%"), intstr.FromString("25%")
	switch t := obj.TypedObject().(type) {
	case *appsv1.Deployment:
		if t.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
			return nil, nil
		}
		if ru := t.Spec.Strategy.RollingUpdate; ru != nil {
			surge, unavailable = ru.MaxSurge, ru.MaxUnavailable
		}
	case *appsv1.DaemonSet:
		if t.Spec.UpdateStrategy.Type == appsv1.OnDeleteDaemonSetStrategyType {
			return nil, nil
		}
		at = engine.NewPath("spec", "updateStrategy", "rollingUpdate")
		defaultSurge, defaultUnavailable = intstr.FromInt32(0), intstr.FromInt32(1)
		if ru := t.Spec.UpdateStrategy.RollingUpdate; ru != nil {
			surge, unavailable = ru.MaxSurge, ru.MaxUnavailable
		}
	default:
		return nil, nil
	}
	if surge == nil {
		surge = &defaultSurge
	}
	if unavailable == nil {
		unavailable = &defaultUnavailable
	}
	var out []engine.Finding
	if isZero(*surge) && isZero(*unavailable) {
		out = append(out, engine.NewFinding(rollingUpdateZeroMeta, existing(obj, at.Child("maxUnavailable")),
			"maxUnavailable and maxSurge are both 0 (after defaults), so the rollout can neither add nor remove a pod; the API server rejects it"))
	}
	if unavailable.Type == intstr.String {
		if p, ok := percent(unavailable.StrVal); ok && p > 100 {
			out = append(out, engine.NewFinding(rollingUpdateZeroMeta, existing(obj, at.Child("maxUnavailable")),
				"maxUnavailable %s is above 100%%; the API server rejects it", unavailable.StrVal))
		}
	}
	return out, nil
}

func isZero(v intstr.IntOrString) bool {
	if v.Type == intstr.Int {
		return v.IntVal == 0
	}
	p, ok := percent(v.StrVal)
	return ok && p == 0
}

// percent reads "25%".
func percent(s string) (int, bool) {
	if len(s) < 2 || s[len(s)-1] != '%' {
		return 0, false
	}
	n := 0
	for _, c := range s[:len(s)-1] {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
		if n > 1_000_000 {
			return n, true
		}
	}
	return n, true
}
