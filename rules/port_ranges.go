package rules

import (
	"context"

	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubegate/kubegate/engine"
)

// portRanges reports container and Service ports the API server rejects.
type portRanges struct{}

var portRangesMeta = engine.Meta{
	ID:    "port-ranges",
	Title: "Ports are in range and port names are valid",
	Description: "A containerPort, a hostPort, a Service port and a numeric targetPort must be between 1 and " +
		"65535; a Service nodePort must fall in the cluster's node port range, 30000-32767 unless the API " +
		"server was started with another --service-node-port-range, and may only be set on NodePort and " +
		"LoadBalancer Services. Port names are IANA service names: at most 15 lowercase letters, digits and " +
		"'-', with at least one letter; a container's port names must be unique in the pod, a Service's " +
		"ports must all be named when there is more than one, and protocols are TCP, UDP or SCTP.",
	Remediation: "Use a port between 1 and 65535 (and a nodePort in 30000-32767, or leave it out to have one " +
		"assigned); name ports with at most 15 lowercase letters, digits and dashes.",
	Severity: engine.Error,
	Kinds:    append([]string{"core/Service"}, workloadKinds...),
	Source:   "go",
	DocURL:   DocURL("port-ranges"),
}

// The default --service-node-port-range of kube-apiserver.
const (
	nodePortMin = 30000
	nodePortMax = 32767
)

// Meta describes the rule.
func (portRanges) Meta() engine.Meta { return portRangesMeta }

// Check validates the ports of a Service or of a pod spec's containers.
func (portRanges) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	if obj.Kind == "Service" {
		return checkServicePorts(obj), nil
	}
	at, spec := podSpecPath(obj)
	if spec == nil {
		return nil, nil
	}
	var out []engine.Finding
	names := map[string]bool{}
	for _, c := range rawContainers(spec, at) {
		for i, p := range rawList(c.Value, "ports") {
			pp := c.Path.Child("ports").Index(i)
			if n, ok := rawInt(p, "containerPort"); ok && !validPort(n) {
				out = append(out, engine.NewFinding(portRangesMeta, pp.Child("containerPort"),
					"containerPort %d is out of range; it must be between 1 and 65535", n))
			}
			if n, ok := rawInt(p, "hostPort"); ok && n != 0 && !validPort(n) {
				out = append(out, engine.NewFinding(portRangesMeta, pp.Child("hostPort"),
					"hostPort %d is out of range; it must be between 1 and 65535", n))
			}
			if name, ok := rawString(p, "name"); ok && name != "" {
				if errs := validation.IsValidPortName(name); len(errs) > 0 {
					out = append(out, engine.NewFinding(portRangesMeta, pp.Child("name"),
						"port name %q is not an IANA service name: %s", name, strings.Join(errs, "; ")))
				} else if names[name] {
					out = append(out, engine.NewFinding(portRangesMeta, pp.Child("name"),
						"port name %q is used twice in the pod; the API server rejects duplicates", name))
				}
				names[name] = true
			}
			out = append(out, checkProtocol(p, pp)...)
		}
		out = append(out, handlerPorts(c)...)
	}
	return out, nil
}

// handlerPorts checks the ports of a container's probes and lifecycle
// hooks: a number between 1 and 65535 or an IANA service name (a string of
// digits is neither, it needs a letter).
func handlerPorts(c rawNode) []engine.Finding {
	var out []engine.Finding
	for _, h := range []string{"livenessProbe", "readinessProbe", "startupProbe", "lifecycle.postStart", "lifecycle.preStop"} {
		keys := strings.Split(h, ".")
		handler := rawMap(c.Value, keys...)
		hp := c.Path.Child(keys...)
		for _, kind := range []string{"httpGet", "tcpSocket", "grpc"} {
			port, ok := rawGet(handler, kind, "port")
			if !ok {
				continue
			}
			at := hp.Child(kind, "port")
			switch v := port.(type) {
			case int64:
				if !validPort(v) {
					out = append(out, engine.NewFinding(portRangesMeta, at, "port %d is out of range; it must be between 1 and 65535", v))
				}
			case string:
				if kind == "grpc" {
					continue // the schema rule: grpc takes a number only
				}
				if errs := validation.IsValidPortName(v); len(errs) > 0 {
					out = append(out, engine.NewFinding(portRangesMeta, at,
						"port %q is neither a port number nor an IANA service name: %s", v, strings.Join(errs, "; ")))
				}
			}
		}
	}
	return out
}

func validPort(n int64) bool { return n >= 1 && n <= 65535 }

func checkProtocol(p any, at engine.Path) []engine.Finding {
	proto, ok := rawString(p, "protocol")
	if !ok || proto == "" || proto == "TCP" || proto == "UDP" || proto == "SCTP" {
		return nil
	}
	return []engine.Finding{engine.NewFinding(portRangesMeta, at.Child("protocol"),
		"protocol %q is not supported; use TCP, UDP or SCTP", proto)}
}

func checkServicePorts(obj *engine.Object) []engine.Finding {
	var out []engine.Finding
	typ, _ := rawString(obj.Raw, "spec", "type")
	ports := rawList(obj.Raw, "spec", "ports")
	names := map[string]bool{}
	// The API server keys ports by port and protocol (TCP when unset).
	type portKey struct {
		port  int64
		proto string
	}
	seen := map[portKey]int{}
	for i, p := range ports {
		pp := engine.NewPath("spec", "ports", i)
		if n, ok := rawInt(p, "port"); ok && !validPort(n) {
			out = append(out, engine.NewFinding(portRangesMeta, pp.Child("port"),
				"Service port %d is out of range; it must be between 1 and 65535", n))
		} else if ok {
			proto, _ := rawString(p, "protocol")
			k := portKey{n, orDefault(proto, "TCP")}
			if first, dup := seen[k]; dup {
				out = append(out, engine.NewFinding(portRangesMeta, pp,
					"Service port %d/%s is already spec.ports[%d]; the API server rejects duplicates", n, k.proto, first))
			} else {
				seen[k] = i
			}
		}
		switch tp, _ := rawGet(p, "targetPort"); v := tp.(type) {
		case int64:
			if !validPort(v) {
				out = append(out, engine.NewFinding(portRangesMeta, pp.Child("targetPort"),
					"targetPort %d is out of range; it must be between 1 and 65535", v))
			}
		case string:
			if errs := validation.IsValidPortName(v); len(errs) > 0 {
				out = append(out, engine.NewFinding(portRangesMeta, pp.Child("targetPort"),
					"targetPort %q is neither a port number nor an IANA service name: %s", v, strings.Join(errs, "; ")))
			}
		}
		if n, ok := rawInt(p, "nodePort"); ok && n != 0 {
			switch {
			case typ != "NodePort" && typ != "LoadBalancer":
				out = append(out, engine.NewFinding(portRangesMeta, pp.Child("nodePort"),
					"nodePort is set on a Service of type %s; the API server allows it only for NodePort and LoadBalancer", orDefault(typ, "ClusterIP")))
			case n < nodePortMin || n > nodePortMax:
				out = append(out, engine.NewFinding(portRangesMeta, pp.Child("nodePort"),
					"nodePort %d is outside the node port range %d-%d", n, nodePortMin, nodePortMax))
			}
		}
		name, _ := rawString(p, "name")
		switch {
		case name == "" && len(ports) > 1:
			out = append(out, engine.NewFinding(portRangesMeta, existing(obj, pp.Child("name")),
				"Service port %d has no name; every port must be named when a Service has more than one", i))
		case name != "":
			if errs := validation.IsDNS1123Label(name); len(errs) > 0 {
				out = append(out, engine.NewFinding(portRangesMeta, pp.Child("name"),
					"Service port name %q is not a DNS-1123 label: %s", name, strings.Join(errs, "; ")))
			} else if names[name] {
				out = append(out, engine.NewFinding(portRangesMeta, pp.Child("name"),
					"Service port name %q is used twice; the API server rejects duplicates", name))
			}
			names[name] = true
		}
		out = append(out, checkProtocol(p, pp)...)
	}
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
