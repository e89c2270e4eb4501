package rules

import (
	"context"
	"strings"

	"github.com/kubegate/kubegate/engine"
)

// capabilities reports containers that add a dangerous capability or do not
// drop ALL. It was ported from Rego for speed, with the same findings.
type capabilities struct{}

var capabilitiesMeta = engine.Meta{
	ID:    "capabilities",
	Title: "Containers drop all capabilities and add none that are dangerous",
	Description: "Container runtimes give a container a default set of Linux capabilities (containerd's " +
		"includes NET_RAW, which allows packet spoofing, and CHOWN, SETUID, SETGID, DAC_OVERRIDE...). " +
		"Dropping ALL and adding back only what the process needs (usually nothing, or NET_BIND_SERVICE) " +
		"shrinks what an attacker in the container can do. Some capabilities are close to root on the node: " +
		"SYS_ADMIN, NET_ADMIN, SYS_PTRACE, SYS_MODULE, SYS_RAWIO, BPF, PERFMON, DAC_READ_SEARCH, SYS_BOOT, " +
		"ALL. Adding one of them is reported, as is adding NET_RAW or not dropping ALL. Windows pods have no " +
		"capabilities and are skipped. Matches kube-linter's drop-net-raw-capability, Polaris' " +
		"dangerousCapabilities and insecureCapabilities.",
	Remediation: "Set securityContext.capabilities.drop to [ALL] and add back only the capabilities the " +
		"process needs, such as NET_BIND_SERVICE.",
	Severity: engine.Warning,
	Kinds:    workloadKinds,
	Source:   "go",
	DocURL:   DocURL("capabilities"),
}

// dangerousCapabilities are the capabilities whose addition is reported,
// as capabilityName spells them.
var dangerousCapabilities = map[string]bool{
	"ALL": true, "SYS_ADMIN": true, "NET_ADMIN": true, "SYS_PTRACE": true, "SYS_MODULE": true,
	"SYS_RAWIO": true, "BPF": true, "PERFMON": true, "DAC_READ_SEARCH": true, "SYS_BOOT": true,
	"NET_RAW": true, "SYS_TIME": true, "MAC_ADMIN": true, "MAC_OVERRIDE": true,
}

// capabilityName normalizes a capability as the runtimes do:
// case-insensitive, with or without the CAP_ prefix; ok is false for a
// value that is not a string.
func capabilityName(v any) (name string, ok bool) {
	s, ok := v.(string)
	if !ok {
		return "", false
	}
	return strings.TrimPrefix(strings.ToUpper(s), "CAP_"), true
}

// Meta describes the rule.
func (capabilities) Meta() engine.Meta { return capabilitiesMeta }

// Check reports, for each container of a Linux pod, every dangerous
// capability in securityContext.capabilities.add (at the entry) and a
// drop list without ALL (at the list, or where it would go).
func (capabilities) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	p, ok := rawPodOf(obj)
	if !ok || !p.Linux() {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range p.Containers() {
		caps := rawMap(c.M, "securityContext", "capabilities")
		// add may be a list or, against the schema, a mapping: the policy
		// iterated both, and reported a mapping's entries by key.
		switch add := caps["add"].(type) {
		case []any:
			for i, v := range add {
				if name, ok := capabilityName(v); ok && dangerousCapabilities[name] {
					out = append(out, addedCapability(c, name, c.Path.Child("securityContext", "capabilities", "add").Index(i)))
				}
			}
		case map[string]any:
			for k, v := range add {
				if name, ok := capabilityName(v); ok && dangerousCapabilities[name] {
					out = append(out, addedCapability(c, name, c.Path.Child("securityContext", "capabilities", "add", k)))
				}
			}
		}

		drop, _ := rawGet(c.M, "securityContext", "capabilities", "drop")
		if dropsAll(drop) {
			continue
		}
		at := containerSecurityPath(c, "capabilities")
		if _, isList := drop.([]any); isList {
			at = c.Path.Child("securityContext", "capabilities", "drop")
		}
		out = append(out, engine.NewFinding(capabilitiesMeta, at,
			"container %q does not drop ALL capabilities, so it keeps the runtime's defaults (NET_RAW among them)", containerNameArg(c)))
	}
	return out, nil
}

func addedCapability(c podContainer, name string, at engine.Path) engine.Finding {
	return engine.NewFinding(capabilitiesMeta, at,
		"container %q adds capability %s, which gives it power over the node or its network", containerNameArg(c), name)
}

// dropsAll reports whether a drop list (or, against the schema, the
// values of a mapping) holds ALL.
func dropsAll(drop any) bool {
	var items []any
	switch t := drop.(type) {
	case []any:
		items = t
	case map[string]any:
		for _, v := range t {
			if name, _ := capabilityName(v); name == "ALL" {
				return true
			}
		}
	}
	for _, v := range items {
		if name, _ := capabilityName(v); name == "ALL" {
			return true
		}
	}
	return false
}
