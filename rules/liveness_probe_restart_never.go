package rules

import (
	"context"

	corev1 "k8s.io/api/core/v1"

	"github.com/kubegate/kubegate/engine"
)

// livenessProbeRestartNever reports liveness probes in pods whose
// restartPolicy is Never.
type livenessProbeRestartNever struct{}

var livenessProbeRestartNeverMeta = engine.Meta{
	ID:    "liveness-probe-restart-never",
	Title: "No liveness probe in a pod that is never restarted",
	Description: "A failing liveness probe makes the kubelet kill the container so that it can be " +
		"restarted. In a pod whose restartPolicy is Never the container is killed and never " +
		"restarted: the pod fails (a Job then counts a failure and may retry with a whole new pod). " +
		"The probe turns a slow moment into a failed run. Restartable sidecar init containers " +
		"(restartPolicy: Always on the container) are restarted whatever the pod's policy and are " +
		"left out.",
	Remediation: "Remove the liveness probe and bound the run with the Job's activeDeadlineSeconds (or the " +
		"pod's), or use restartPolicy: OnFailure if restarting the container in place is what you want.",
	Severity: engine.Warning,
	Kinds:    workloadKinds,
	Source:   "go",
	DocURL:   DocURL("liveness-probe-restart-never"),
}

// Meta describes the rule.
func (livenessProbeRestartNever) Meta() engine.Meta { return livenessProbeRestartNeverMeta }

// Check reports each liveness probe of a regular container in a pod with
// restartPolicy Never, at the probe.
func (livenessProbeRestartNever) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	ref, ok := engine.PodSpecOf(obj)
	if !ok || ref.Spec.RestartPolicy != corev1.RestartPolicyNever {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range ref.Containers() {
		// Sidecars restart whatever the pod's policy; other init containers
		// cannot have liveness probes at all.
		if c.Init || c.Container.LivenessProbe == nil {
			continue
		}
		out = append(out, engine.NewFinding(livenessProbeRestartNeverMeta, c.Path.Child("livenessProbe"),
			"container %q has a liveness probe but the pod's restartPolicy is Never; when the probe fails the kubelet kills the container and never restarts it", c.Container.Name))
	}
	return out, nil
}
