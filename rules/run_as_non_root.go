package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// runAsNonRoot reports containers that run as root or may. It was ported
// from Rego for speed, with the same findings.
type runAsNonRoot struct{}

var runAsNonRootMeta = engine.Meta{
	ID:    "run-as-non-root",
	Title: "Containers run as a non-root user",
	Description: "A container runs as the image's user unless runAsUser says otherwise, and many images say " +
		"root. runAsNonRoot true makes the kubelet refuse to start a container that would run as UID 0. The " +
		"container's securityContext wins over the pod's for runAsUser and runAsNonRoot. Windows pods use " +
		"windowsOptions.runAsUserName instead and are skipped. Matches kube-linter's run-as-non-root and " +
		"Polaris' runAsRootAllowed.",
	Remediation: "Set runAsNonRoot true and a non-zero runAsUser in the pod's securityContext (or each " +
		"container's), and build the image with a non-root USER.",
	Severity: engine.Warning,
	Kinds:    workloadKinds,
	Source:   "go",
	DocURL:   DocURL("run-as-non-root"),
}

// Meta describes the rule.
func (runAsNonRoot) Meta() engine.Meta { return runAsNonRootMeta }

// Check reports, for each container of a Linux pod, an effective runAsUser
// of 0 (at it), or else neither a positive runAsUser nor runAsNonRoot true
// (at runAsNonRoot or where it would go).
func (runAsNonRoot) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	p, ok := rawPodOf(obj)
	if !ok || !p.Linux() {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range p.Containers() {
		user, ok := p.SecurityValue(c, "runAsUser")
		if !ok {
			continue
		}
		n, isNum := rawNumber(user)
		switch {
		case isNum && n == 0:
			out = append(out, engine.NewFinding(runAsNonRootMeta, p.SecurityPath(c, "runAsUser"),
				"container %q runs as root: runAsUser is 0", containerNameArg(c)))
		case isNum && n > 0:
			// A non-root user.
		default:
			if nonRoot, _ := p.SecurityValue(c, "runAsNonRoot"); nonRoot == true {
				continue
			}
			out = append(out, engine.NewFinding(runAsNonRootMeta, p.SecurityPath(c, "runAsNonRoot"),
				"container %q may run as root: neither runAsNonRoot true nor a non-zero runAsUser is set, so the image's user (often root) is used", containerNameArg(c)))
		}
	}
	return uniqueFindings(out), nil
}
