package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// runAsHighUID reports containers whose effective runAsUser or runAsGroup
// is unset or not above 10000. It was ported from Rego for speed, with the
// same findings.
type runAsHighUID struct{}

var runAsHighUIDMeta = engine.Meta{
	ID:    "run-as-high-uid",
	Title: "Containers run with a user and group ID above 10000",
	Description: "A UID or GID below 10000 may coincide with a user of the node (system accounts and the " +
		"first human users), which matters if the container ever escapes its namespaces or shares a " +
		"hostPath. Off by default: most images use lower IDs and user namespaces remove the risk. Matches " +
		"kube-score's container-security-context-user-group-id.",
	Remediation: "Set runAsUser and runAsGroup to values above 10000 (and build the image with such a user).",
	Severity:    engine.Warning,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("run-as-high-uid"),
	Disabled:    true,
}

// Meta describes the rule.
func (runAsHighUID) Meta() engine.Meta { return runAsHighUIDMeta }

// Check reports, for each container of a Linux pod, a runAsUser and a
// runAsGroup (the container's, else the pod's) that is not a number above
// 10000, at the field or where it would go.
func (runAsHighUID) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	p, ok := rawPodOf(obj)
	if !ok || !p.Linux() {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range p.Containers() {
		for _, field := range [...]string{"runAsUser", "runAsGroup"} {
			id, ok := p.SecurityValue(c, field)
			if !ok {
				continue
			}
			if n, isNum := rawNumber(id); isNum && n > 10000 {
				continue
			}
			var shown any = "unset"
			if id != nil {
				shown = regoArg(id)
			}
			out = append(out, engine.NewFinding(runAsHighUIDMeta, p.SecurityPath(c, field),
				"container %q has %s %v; use an ID above 10000", containerNameArg(c), field, shown))
		}
	}
	return uniqueFindings(out), nil
}
