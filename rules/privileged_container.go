package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// privilegedContainer reports privileged containers, Windows HostProcess
// containers and OpenShift SecurityContextConstraints that allow privileged
// containers. It was ported from Rego for speed, with the same findings.
type privilegedContainer struct{}

var privilegedContainerMeta = engine.Meta{
	ID:    "privileged-container",
	Title: "Containers are not privileged",
	Description: "A privileged container runs with every capability, sees every device of the node and is " +
		"not confined by seccomp, AppArmor or SELinux: root in it is root on the node. Only node agents " +
		"(CNI, storage and device plugins) need it. On Windows, a HostProcess container " +
		"(windowsOptions.hostProcess) is the same: it runs as a process on the node, outside any container " +
		"isolation. Matches kube-linter's privileged-container, kube-score's " +
		"container-security-context-privileged and Polaris' runAsPrivileged and hostProcess. On OpenShift, a " +
		"SecurityContextConstraints with allowPrivilegedContainer lets every pod admitted under it be " +
		"privileged (kube-linter's scc-deny-privileged-container).",
	Remediation: "Remove privileged, or set it to false; grant the one capability the process needs instead " +
		"(capabilities.add).",
	Severity: engine.Error,
	Kinds: []string{"Pod", "PodTemplate", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet",
		"ReplicationController", "Job", "CronJob", "security.openshift.io/SecurityContextConstraints"},
	Source: "go",
	DocURL: DocURL("privileged-container"),
}

// Meta describes the rule.
func (privilegedContainer) Meta() engine.Meta { return privilegedContainerMeta }

// Check reports each container with privileged true (at it) and each whose
// effective windowsOptions (the container's, else the pod's) has
// hostProcess true (at the options), on any OS; and a
// SecurityContextConstraints with allowPrivilegedContainer true.
func (privilegedContainer) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	if obj.Kind == "SecurityContextConstraints" {
		return privilegedSCC(obj), nil
	}
	p, ok := rawPodOf(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range p.Containers() {
		if v, _ := rawGet(c.M, "securityContext", "privileged"); v == true {
			out = append(out, engine.NewFinding(privilegedContainerMeta, c.Path.Child("securityContext", "privileged"),
				"container %q is privileged: it has every capability and the node's devices, so root in it is root on the node", containerNameArg(c)))
		}
		v, ok := p.SecurityValue(c, "windowsOptions")
		if !ok {
			continue
		}
		if opts, _ := v.(map[string]any); opts["hostProcess"] == true {
			out = append(out, engine.NewFinding(privilegedContainerMeta, p.SecurityPath(c, "windowsOptions"),
				"container %q is a Windows HostProcess container: it runs directly on the node with the node's privileges", containerNameArg(c)))
		}
	}
	return uniqueFindings(out), nil
}

// privilegedSCC reports a SecurityContextConstraints that allows
// privileged containers, at allowPrivilegedContainer. One without
// metadata.name is not reported, as the policy's message needed it.
func privilegedSCC(obj *engine.Object) []engine.Finding {
	if obj.Raw["allowPrivilegedContainer"] != true {
		return nil
	}
	name, ok := rawGet(obj.Raw, "metadata", "name")
	if !ok {
		return nil
	}
	return []engine.Finding{engine.NewFinding(privilegedContainerMeta, engine.NewPath("allowPrivilegedContainer"),
		"SecurityContextConstraints %q allows privileged containers: every pod admitted under it may be root on its node", regoArg(name))}
}
