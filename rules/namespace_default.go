package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// namespaceDefault reports workloads placed in the default or kube-system
// namespace, or in no namespace at all.
type namespaceDefault struct{}

var namespaceDefaultMeta = engine.Meta{
	ID:    "namespace-default",
	Title: "Workloads live in their own namespace",
	Description: "The default namespace is where everything without a plan ends up: RBAC, quotas and network " +
		"policies written for an application cannot be scoped to it there. kube-system belongs to the cluster's " +
		"own components, whose privileges (and the PodSecurity exemptions it often has) an application should " +
		"not share. A workload that names no namespace goes wherever kubectl's context points, which is " +
		"default unless someone remembers -n: that is reported as info. Covers kube-linter's use-namespace.",
	Remediation: "Set metadata.namespace to the application's own namespace.",
	Severity:    engine.Warning,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("namespace-default"),
}

// Meta describes the rule.
func (namespaceDefault) Meta() engine.Meta { return namespaceDefaultMeta }

// Check reads metadata.namespace.
func (namespaceDefault) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	switch obj.Namespace {
	case "":
		f := engine.NewFinding(namespaceDefaultMeta, existing(obj, engine.NewPath("metadata", "namespace")),
			"%s %q names no namespace: it lands wherever kubectl's context points, default unless -n says otherwise", obj.Kind, obj.Name)
		f.Severity = engine.Info
		return []engine.Finding{f}, nil
	case "default":
		return []engine.Finding{engine.NewFinding(namespaceDefaultMeta, engine.NewPath("metadata", "namespace"),
			"%s %q is in the default namespace, where RBAC, quotas and network policies cannot be scoped to it", obj.Kind, obj.Name)}, nil
	case "kube-system":
		return []engine.Finding{engine.NewFinding(namespaceDefaultMeta, engine.NewPath("metadata", "namespace"),
			"%s %q is in kube-system, the namespace of the cluster's own components", obj.Kind, obj.Name)}, nil
	}
	return nil, nil
}
