package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// startupProbeMissing reports containers of long-running workloads that
// have a liveness probe but no startup probe. It was ported from Rego
// (rules/rego/startup_probe_missing.rego) for speed, with the same
// findings.
type startupProbeMissing struct{}

var startupProbeMissingMeta = engine.Meta{
	ID:    "startup-probe-missing",
	Title: "Slow-starting containers have a startup probe",
	Description: "Until a startup probe succeeds, the kubelet holds the liveness and readiness probes " +
		"back; without one, a liveness probe tuned for a running process kills a container that is " +
		"still starting (loading a cache, migrating a schema, warming a JIT) and the pod " +
		"crash-loops. Only long-running containers that have a liveness probe are judged. Off by " +
		"default: containers that start in seconds need none. Matches kube-linter's " +
		"no-startup-probe.",
	Remediation: "Add a startupProbe on the same endpoint as the liveness probe, with failureThreshold " +
		"x periodSeconds covering the slowest start.",
	Severity: engine.Info,
	Kinds:    longRunningKinds,
	Source:   "go",
	DocURL:   DocURL("startup-probe-missing"),
	Disabled: true,
}

// Meta describes the rule.
func (startupProbeMissing) Meta() engine.Meta { return startupProbeMissingMeta }

// Check reports, in a long-running pod (not a bare Pod whose restartPolicy
// is OnFailure or Never), every container (not init container) whose
// livenessProbe is set and whose startupProbe is not, at the container.
// As in the policy, a field counts as set when present and not false.
func (startupProbeMissing) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	pod, ok := rawPodOf(obj)
	if !ok || !rawLongRunning(obj, pod) {
		return nil, nil
	}
	var out []engine.Finding
	for at, v := range rawItems(pod.Spec["containers"]) {
		m, ok := v.(map[string]any)
		if !ok || !regoTruthy(m, "livenessProbe") || regoTruthy(m, "startupProbe") {
			continue
		}
		c := podContainer{M: m, Path: append(pod.Path.Child("containers"), at)}
		out = append(out, engine.NewFinding(startupProbeMissingMeta, c.Path,
			"container %q has a liveness probe but no startup probe: if it ever starts slowly, the liveness probe kills it before it is up", containerNameArg(c)))
	}
	return out, nil
}

// rawLongRunning is the lib's pod_class == "long-running" for an object
// with a pod spec: not a PodTemplate, Job or CronJob, nor a bare Pod whose
// restartPolicy is OnFailure or Never.
func rawLongRunning(obj *engine.Object, pod rawPod) bool {
	switch obj.Kind {
	case "PodTemplate", "Job", "CronJob":
		return false
	case "Pod":
		rp, _ := pod.Spec["restartPolicy"].(string)
		return rp != "OnFailure" && rp != "Never"
	}
	return true
}
