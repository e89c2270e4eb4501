package rules

import (
	"context"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/kubegate/kubegate/engine"
)

// probePortUndeclared reports probes whose port the container does not
// declare.
type probePortUndeclared struct{}

var probePortUndeclaredMeta = engine.Meta{
	ID:    "probe-port-undeclared",
	Title: "Probe checks a port the container declares",
	Description: "The kubelet resolves a probe's named port (httpGet.port or tcpSocket.port given as a " +
		"name) through the container's ports list; a name the container does not declare cannot be " +
		"resolved, so the probe fails every time: the pod never becomes ready, or a liveness probe " +
		"restarts the container over and over. A numeric port the container does not declare is " +
		"probed anyway, but it usually means the probe and the application disagree about the port " +
		"(a copy-paste from another service, a port changed in one place only).",
	Remediation: "Point the probe at a port listed in the container's ports (by containerPort number or " +
		"by name), or declare the port the application really listens on.",
	Severity: engine.Warning,
	Kinds:    workloadKinds,
	Source:   "go",
	DocURL:   DocURL("probe-port-undeclared"),
}

// Meta describes the rule.
func (probePortUndeclared) Meta() engine.Meta { return probePortUndeclaredMeta }

// Check reports each httpGet, tcpSocket or grpc probe port that the
// container does not declare, at the port field.
func (probePortUndeclared) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	ref, ok := engine.PodSpecOf(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range ref.Containers() {
		for _, p := range probesOf(c) {
			h := p.Probe.ProbeHandler
			if h.HTTPGet != nil {
				out = appendPortFinding(out, c, p, h.HTTPGet.Port, p.Path.Child("httpGet", "port"))
			}
			if h.TCPSocket != nil {
				out = appendPortFinding(out, c, p, h.TCPSocket.Port, p.Path.Child("tcpSocket", "port"))
			}
			if h.GRPC != nil {
				out = appendPortFinding(out, c, p, intstr.FromInt32(h.GRPC.Port), p.Path.Child("grpc", "port"))
			}
		}
	}
	return out, nil
}

func appendPortFinding(out []engine.Finding, c engine.ContainerRef, p probeRef, port intstr.IntOrString, at engine.Path) []engine.Finding {
	ctr := c.Container
	switch {
	case port.Type == intstr.Int:
		// Port 0 is no port at all; the API server rejects it.
		if port.IntVal == 0 || declaresNumber(ctr, port.IntVal) {
			return out
		}
		return append(out, engine.NewFinding(probePortUndeclaredMeta, at,
			"%s of container %q checks port %d, which the container does not declare; %s",
			p.Name, ctr.Name, port.IntVal, declaredPorts(ctr)))
	case port.StrVal == "":
		return out
	case declaresName(ctr, port.StrVal):
		return out
	default:
		// The kubelet falls back to reading an unresolvable name as a number.
		if n, err := strconv.ParseInt(port.StrVal, 10, 32); err == nil {
			if declaresNumber(ctr, int32(n)) {
				return out
			}
			return append(out, engine.NewFinding(probePortUndeclaredMeta, at,
				"%s of container %q checks port %d, which the container does not declare; %s",
				p.Name, ctr.Name, n, declaredPorts(ctr)))
		}
		return append(out, engine.NewFinding(probePortUndeclaredMeta, at,
			"%s of container %q uses port name %q, which the container does not declare, so the kubelet cannot resolve it and the probe always fails; %s",
			p.Name, ctr.Name, port.StrVal, declaredPorts(ctr)))
	}
}

func declaresNumber(c *corev1.Container, n int32) bool {
	for _, p := range c.Ports {
		if p.ContainerPort == n {
			return true
		}
	}
	return false
}

func declaresName(c *corev1.Container, name string) bool {
	for _, p := range c.Ports {
		if p.Name == name {
			return true
		}
	}
	return false
}
