package rules

import (
	"context"
	"strings"

	"github.com/kubegate/kubegate/engine"
)

// probeHandlers reports probes with no handler or more than one, which the
// API server rejects. It was ported from Rego
// (rules/rego/probe_handlers.rego) for speed, with the same findings.
type probeHandlers struct{}

var probeHandlersMeta = engine.Meta{
	ID:    "probe-handlers",
	Title: "Probe has exactly one handler",
	Description: "A probe names how the kubelet checks the container: exec, httpGet, tcpSocket or " +
		"grpc. The API server rejects a probe with none (\"must specify a handler type\") and a probe " +
		"with more than one (\"may not specify more than 1 handler type\"), so the manifest never " +
		"applies.",
	Remediation: "Keep exactly one of exec, httpGet, tcpSocket or grpc in the probe.",
	Severity:    engine.Error,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("probe-handlers"),
}

// probeHandlerTypes are the handler fields of a probe, in the order
// messages list them.
var probeHandlerTypes = [...]string{"exec", "httpGet", "tcpSocket", "grpc"}

// Meta describes the rule.
func (probeHandlers) Meta() engine.Meta { return probeHandlersMeta }

// Check reports every probe of every init container and container that
// sets no handler, or more than one, at the probe. A handler set to null
// does not count; any other value does.
func (probeHandlers) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	pod, ok := rawPodOf(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	eachRawProbe(pod, func(c podContainer, kind int, probe map[string]any) {
		n := 0
		for _, h := range probeHandlerTypes {
			if probe[h] != nil {
				n++
			}
		}
		switch n {
		case 1:
		case 0:
			out = append(out, engine.NewFinding(probeHandlersMeta, c.Path.Child(rawProbeKinds[kind]),
				"%s of container %q has no handler; the API server requires one of exec, httpGet, tcpSocket or grpc", rawProbeNames[kind], containerNameArg(c)))
		default:
			hs := make([]string, 0, len(probeHandlerTypes))
			for _, h := range probeHandlerTypes {
				if probe[h] != nil {
					hs = append(hs, h)
				}
			}
			out = append(out, engine.NewFinding(probeHandlersMeta, c.Path.Child(rawProbeKinds[kind]),
				"%s of container %q has %d handlers (%s); the API server accepts exactly one", rawProbeNames[kind], containerNameArg(c), n, strings.Join(hs, ", ")))
		}
	})
	return out, nil
}
