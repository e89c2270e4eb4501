package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/kubegate/kubegate/engine"
)

// Kind lists shared by the Go rules. They name kinds in any group, as the
// Rego rules do; engine.PodSpecOf decides which versions carry a pod spec.
var (
	// longRunningKinds run their pods forever (a bare Pod only when its
	// restartPolicy is Always; the rules check the class).
	longRunningKinds = []string{"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}
	// runnableKinds are the kinds whose pods actually run: long-running and
	// batch workloads, but not PodTemplate.
	runnableKinds = []string{"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"}
	// workloadKinds are every kind with a pod spec, in the order the Rego
	// rules list them.
	workloadKinds = []string{"Pod", "PodTemplate", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"}
)

// probeRef is one probe of a container and its path.
type probeRef struct {
	// Name is how messages call it: "liveness probe".
	Name  string
	Probe *corev1.Probe
	Path  engine.Path
}

// probesOf returns the container's liveness, readiness and startup probes
// that are set.
func probesOf(c engine.ContainerRef) []probeRef {
	all := []probeRef{
		{Name: "liveness probe", Probe: c.Container.LivenessProbe, Path: c.Path.Child("livenessProbe")},
		{Name: "readiness probe", Probe: c.Container.ReadinessProbe, Path: c.Path.Child("readinessProbe")},
		{Name: "startup probe", Probe: c.Container.StartupProbe, Path: c.Path.Child("startupProbe")},
	}
	out := all[:0]
	for _, p := range all {
		if p.Probe != nil {
			out = append(out, p)
		}
	}
	return out
}

// runsPods reports whether the pods of ref actually run (not a PodTemplate).
func runsPods(ref engine.PodSpecRef) bool {
	return ref.Class == engine.LongRunning || ref.Class == engine.Batch
}

// existing returns the longest prefix of p that is present in obj.Raw:
// p itself when the field is there, else its nearest existing parent, so
// that a finding about a missing field carries the path of the place to
// add it (a container without a probe: the container). An object without
// Raw gets p back.
func existing(obj *engine.Object, p engine.Path) engine.Path {
	if obj.Raw == nil {
		return p
	}
	var cur any = obj.Raw
	for i, e := range p {
		switch v := cur.(type) {
		case map[string]any:
			next, ok := v[e.Key]
			if e.IsIndex || !ok {
				return p[:i]
			}
			cur = next
		case []any:
			if !e.IsIndex || e.Index >= len(v) {
				return p[:i]
			}
			cur = v[e.Index]
		default:
			return p[:i]
		}
	}
	return p
}

// positive returns the quantity of name in l when it is set and above zero;
// the kubelet treats a zero quantity as unset.
func positive(l corev1.ResourceList, name corev1.ResourceName) (resource.Quantity, bool) {
	q, ok := l[name]
	if !ok || q.Sign() <= 0 {
		return resource.Quantity{}, false
	}
	return q, true
}

// sortedNames returns the resource names of l in order, so findings come out
// in the same order every run.
func sortedNames(l corev1.ResourceList) []corev1.ResourceName {
	names := make([]corev1.ResourceName, 0, len(l))
	for n := range l {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// declaredPorts renders a container's ports for messages: "80, 9090 (metrics)".
func declaredPorts(c *corev1.Container) string {
	if len(c.Ports) == 0 {
		return "it declares none"
	}
	parts := make([]string, 0, len(c.Ports))
	for _, p := range c.Ports {
		if p.Name != "" {
			parts = append(parts, fmt.Sprintf("%d (%s)", p.ContainerPort, p.Name))
		} else {
			parts = append(parts, fmt.Sprintf("%d", p.ContainerPort))
		}
	}
	return "it declares " + strings.Join(parts, ", ")
}

// quote renders a name the way %q does, for messages built in pieces.
func quote(s string) string { return strconv.Quote(s) }

// missingProbe reports the containers of a long-running workload that lack
// the probe in field (has says whether a container has it), at the
// container, the nearest existing parent of the missing field. Init
// containers are skipped: only restartable sidecars may have probes, and
// they are optional there.
func missingProbe(obj *engine.Object, ref engine.PodSpecRef, meta engine.Meta, field string, has func(*corev1.Container) bool, format string) []engine.Finding {
	if ref.Class != engine.LongRunning {
		return nil
	}
	var out []engine.Finding
	for _, c := range ref.Containers() {
		if c.Init || has(c.Container) {
			continue
		}
		out = append(out, engine.NewFinding(meta, existing(obj, c.Path.Child(field)), format, c.Container.Name))
	}
	return out
}
