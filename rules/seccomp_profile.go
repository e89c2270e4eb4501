package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// seccompProfile reports containers that run without a seccomp profile. It
// was ported from Rego for speed, with the same findings.
type seccompProfile struct{}

var seccompProfileMeta = engine.Meta{
	ID:    "seccomp-profile",
	Title: "Containers run with a seccomp profile",
	Description: "seccomp filters the system calls a process may make. Unless the pod or the container sets " +
		"seccompProfile, the kubelet runs the container Unconfined (the kubelet's SeccompDefault setting, off " +
		"by default, changes that per node), with every system call allowed. RuntimeDefault (the runtime's " +
		"profile) or a Localhost profile confine it; the container's setting wins over the pod's. Windows " +
		"pods are skipped. Matches kube-score's container-seccomp-profile and the seccomp part of Polaris' " +
		"linuxHardening.",
	Remediation: "Set securityContext.seccompProfile.type to RuntimeDefault in the pod spec (or Localhost " +
		"with a profile of your own).",
	Severity: engine.Warning,
	Kinds:    workloadKinds,
	Source:   "go",
	DocURL:   DocURL("seccomp-profile"),
}

// Meta describes the rule.
func (seccompProfile) Meta() engine.Meta { return seccompProfileMeta }

// Check reports each container of a Linux pod whose effective
// seccompProfile (the container's, else the pod's) has type Unconfined,
// at the type, or no type at all, at the profile or where it would go. A
// type that is null or another value is not reported.
func (seccompProfile) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	p, ok := rawPodOf(obj)
	if !ok || !p.Linux() {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range p.Containers() {
		v, ok := p.SecurityValue(c, "seccompProfile")
		if !ok {
			continue
		}
		profile, _ := v.(map[string]any) // anything else counts as {}
		typ, set := profile["type"]
		switch {
		case !set:
			out = append(out, engine.NewFinding(seccompProfileMeta, p.SecurityPath(c, "seccompProfile"),
				"container %q sets no seccomp profile, so it runs Unconfined on nodes with the kubelet's defaults", containerNameArg(c)))
		case typ == "Unconfined":
			out = append(out, engine.NewFinding(seccompProfileMeta, p.SecurityPath(c, "seccompProfile").Child("type"),
				"container %q runs without a seccomp profile (Unconfined): every system call is allowed", containerNameArg(c)))
		}
	}
	return uniqueFindings(out), nil
}
