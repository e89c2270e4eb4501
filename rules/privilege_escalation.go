package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// privilegeEscalation reports containers whose allowPrivilegeEscalation is
// not false. It was ported from Rego for speed, with the same findings.
type privilegeEscalation struct{}

var privilegeEscalationMeta = engine.Meta{
	ID:    "privilege-escalation",
	Title: "Containers cannot gain privileges",
	Description: "allowPrivilegeEscalation controls the no_new_privs flag of the container's process: unless " +
		"it is false, a setuid binary or file capabilities in the image can give a process more privileges " +
		"than its parent. It defaults to true, and it is always true for a privileged container or one that " +
		"adds CAP_SYS_ADMIN. Windows pods do not have it. Matches kube-linter's " +
		"privilege-escalation-container and Polaris' privilegeEscalationAllowed.",
	Remediation: "Set securityContext.allowPrivilegeEscalation to false in every container.",
	Severity:    engine.Warning,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("privilege-escalation"),
}

// Meta describes the rule.
func (privilegeEscalation) Meta() engine.Meta { return privilegeEscalationMeta }

// Check reports each container of a Linux pod whose
// allowPrivilegeEscalation is not false, at the field or where it would
// go. A securityContext that is there but not a mapping (null included)
// is left to the schema rule, as the policy left it.
func (privilegeEscalation) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	p, ok := rawPodOf(obj)
	if !ok || !p.Linux() {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range p.Containers() {
		var sc map[string]any
		if v, has := c.M["securityContext"]; has {
			if sc, ok = v.(map[string]any); !ok {
				continue
			}
		}
		allow := sc["allowPrivilegeEscalation"]
		if allow == false {
			continue
		}
		format := "container %q allows privilege escalation: allowPrivilegeEscalation is not set and defaults to true, so setuid binaries can raise its privileges"
		if allow == true {
			format = "container %q allows privilege escalation: allowPrivilegeEscalation is true, so setuid binaries can raise its privileges"
		}
		out = append(out, engine.NewFinding(privilegeEscalationMeta, containerSecurityPath(c, "allowPrivilegeEscalation"), format, containerNameArg(c)))
	}
	return out, nil
}
