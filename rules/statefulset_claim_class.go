package rules

import (
	"context"
	"strings"

	"github.com/kubegate/kubegate/engine"
)

// statefulSetClaimClass reports claim templates that rely on a default
// StorageClass the set does not have.
type statefulSetClaimClass struct{}

var statefulSetClaimClassMeta = engine.Meta{
	ID:    "statefulset-claim-class",
	Title: "StatefulSet claim templates name a storage class, or one is the default",
	Description: "Each replica of a StatefulSet gets a claim made from volumeClaimTemplates. A template without " +
		"storageClassName gets the cluster's default StorageClass; when the manifests define StorageClasses " +
		"and none is marked default (storageclass.kubernetes.io/is-default-class: \"true\"), those claims are " +
		"never provisioned and the replicas never start.",
	Remediation: "Set storageClassName in the template, or mark one StorageClass as the default.",
	Severity:    engine.Warning,
	Kinds:       []string{"apps/StatefulSet"},
	Source:      "go",
	DocURL:      DocURL("statefulset-claim-class"),
}

// Meta describes the rule.
func (statefulSetClaimClass) Meta() engine.Meta { return statefulSetClaimClassMeta }

// Check looks at each template when the set has classes but no default.
func (statefulSetClaimClass) Check(_ context.Context, obj *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	b := engine.BindingsOf(inv)
	if !b.HasClasses || b.DefaultClass != "" {
		return nil, nil
	}
	var names []string
	for _, o := range inv.List(engine.StorageClassKind, "") {
		names = append(names, o.Name)
	}
	var out []engine.Finding
	for i, t := range rawList(obj.Raw, "spec", "volumeClaimTemplates") {
		if _, set := rawGet(t, "spec", "storageClassName"); set {
			continue
		}
		if _, ok := rawGet(t, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class"); ok {
			continue
		}
		name, _ := rawString(t, "metadata", "name")
		out = append(out, engine.NewFinding(statefulSetClaimClassMeta, engine.NewPath("spec", "volumeClaimTemplates", i, "spec"),
			"claim template %q names no storage class and none of the set's classes (%s) is the default; its claims are never provisioned",
			name, strings.Join(names, ", ")))
	}
	return out, nil
}
