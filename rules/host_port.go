package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// hostPort reports containers that bind a port of the node (hostPort),
// expose port 22 or listen on a privileged port. It was ported from Rego
// (rules/rego/host_port.rego) for speed, with the same findings.
type hostPort struct{}

var hostPortMeta = engine.Meta{
	ID:    "host-port",
	Title: "Containers do not bind node ports",
	Description: "A hostPort opens the port on the node the pod runs on: at most one pod per node can " +
		"use it, so it limits scheduling, and it bypasses Services and usually NetworkPolicies. Ports " +
		"below 1024 inside the container need NET_BIND_SERVICE or root, and port 22 suggests an SSH " +
		"server in a container. Matches Polaris' hostPortSet and kube-linter's host-port, " +
		"privileged-ports and ssh-port.",
	Remediation: "Remove hostPort and reach the pod through a Service (NodePort or LoadBalancer if it " +
		"must be reachable from outside); listen on a port above 1024.",
	Severity: engine.Warning,
	Kinds:    workloadKinds,
	Source:   "go",
	DocURL:   DocURL("host-port"),
}

// Meta describes the rule.
func (hostPort) Meta() engine.Meta { return hostPortMeta }

// Check reports, for every port of every init container and container, a
// hostPort above 0 at the hostPort, and a containerPort of 22 or below
// 1024 at the containerPort. As in the policy, the comparisons follow
// Rego's order of types: a hostPort written as a string counts as above 0,
// a containerPort of null or a boolean as below 1024.
func (hostPort) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	pod, ok := rawPodOf(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range pod.Containers() {
		for at, v := range rawItems(c.M["ports"]) {
			p, ok := v.(map[string]any)
			if !ok {
				continue
			}
			if hp, ok := p["hostPort"]; ok && regoCompare(hp, 0) > 0 {
				out = append(out, engine.NewFinding(hostPortMeta, hostPortPath(c, at, "hostPort"),
					"container %q binds port %v of the node (hostPort): one such pod per node, outside Services and NetworkPolicies", containerNameArg(c), regoArg(hp)))
			}
			cp, ok := p["containerPort"]
			if !ok {
				continue
			}
			if n, ok := rawNumber(cp); ok && n == 22 {
				out = append(out, engine.NewFinding(hostPortMeta, hostPortPath(c, at, "containerPort"),
					"container %q exposes port 22: an SSH server in a container is a door around kubectl exec and its audit log", containerNameArg(c)))
			} else if regoCompare(cp, 1024) < 0 {
				out = append(out, engine.NewFinding(hostPortMeta, hostPortPath(c, at, "containerPort"),
					"container %q listens on privileged port %v, which needs root or NET_BIND_SERVICE; listen above 1024 and map the port in the Service", containerNameArg(c), regoArg(cp)))
			}
		}
	}
	return out, nil
}

// hostPortPath is the path of field in the port at of container c.
func hostPortPath(c podContainer, at engine.PathElem, field string) engine.Path {
	p := c.Path.Child("ports")
	return append(p, at, engine.PathElem{Key: field})
}
