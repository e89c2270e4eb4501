package rules

import (
	"context"
	"strings"

	"k8s.io/apimachinery/pkg/api/validate/content"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubegate/kubegate/engine"
)

// objectName reports object names (and namespaces) the API server rejects
// for the object's kind.
type objectName struct{}

var objectNameMeta = engine.Meta{
	ID:    "object-name",
	Title: "Object name is valid for its kind",
	Description: "Every object needs metadata.name (or generateName), and each kind has its own rule for it, " +
		"checked by the API server before anything else: most kinds take a DNS-1123 subdomain (lowercase " +
		"letters, digits, '-' and '.', at most 253 characters); a Namespace a DNS-1123 label (no dots, at " +
		"most 63), and so does a Service (releases before RelaxedServiceNameValidation also wanted a " +
		"letter first); RBAC roles and bindings any path segment (no '/' or '%'). A " +
		"CronJob's name may have at most 52 characters (its Jobs add an 11-character suffix) and a Job's at " +
		"most 63 (it becomes a label value on its pods). metadata.namespace must be a DNS-1123 label.",
	Remediation: "Rename the object: lowercase letters, digits and '-', within the kind's length limit.",
	Severity:    engine.Error,
	Kinds:       []string{"*"},
	Source:      "go",
	DocURL:      DocURL("object-name"),
}

// Meta describes the rule.
func (objectName) Meta() engine.Meta { return objectNameMeta }

// nameCheck validates a name (or, with prefix, a generateName prefix).
type nameCheck struct {
	what  string
	check func(string) []string
}

// Kinds whose names are not DNS-1123 subdomains, from the API server's
// per-kind ValidateXName functions.
var nameChecks = map[string]nameCheck{
	"Namespace":          {"a DNS-1123 label", validation.IsDNS1123Label},
	"Service":            {"a DNS-1123 label", validation.IsDNS1123Label},
	"Role":               {"a path segment", content.IsPathSegmentName},
	"ClusterRole":        {"a path segment", content.IsPathSegmentName},
	"RoleBinding":        {"a path segment", content.IsPathSegmentName},
	"ClusterRoleBinding": {"a path segment", content.IsPathSegmentName},
}

var subdomainCheck = nameCheck{"a DNS-1123 subdomain", validation.IsDNS1123Subdomain}

// maxNameLen caps names whose value ends up somewhere shorter.
var maxNameLen = map[string]int{
	"CronJob": 52, // Jobs are named <cronjob>-<11 characters>, and Job names become 63-character labels
	"Job":     63, // the batch.kubernetes.io/job-name label of its pods
}

// Check validates metadata.name, generateName and namespace.
func (objectName) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	md := rawMap(obj.Raw, "metadata")
	name, _ := rawString(md, "name")
	gen, _ := rawString(md, "generateName")
	nc, ok := nameChecks[obj.Kind]
	if !ok || !builtinGroup(obj, "", "rbac.authorization.k8s.io") {
		nc = subdomainCheck
	}
	var out []engine.Finding
	switch {
	case name == "" && gen == "":
		out = append(out, engine.NewFinding(objectNameMeta, existing(obj, engine.NewPath("metadata", "name")),
			"%s has no metadata.name (or generateName); the API server requires one", obj.Kind))
	case name != "":
		if errs := nc.check(name); len(errs) > 0 {
			out = append(out, engine.NewFinding(objectNameMeta, engine.NewPath("metadata", "name"),
				"%s name %q is not %s: %s", obj.Kind, name, nc.what, strings.Join(errs, "; ")))
		} else if limit, ok := maxNameLen[obj.Kind]; ok && len(name) > limit && obj.GVK.Group == "batch" {
			out = append(out, engine.NewFinding(objectNameMeta, engine.NewPath("metadata", "name"),
				"%s name %q has %d characters; the API server allows at most %d", obj.Kind, name, len(name), limit))
		}
	}
	if name == "" && gen != "" {
		// generateName is a prefix: a trailing dash is fine, the random
		// suffix follows it.
		if errs := nc.check(strings.TrimSuffix(gen, "-") + "a"); len(errs) > 0 && nc.what != "a path segment" {
			out = append(out, engine.NewFinding(objectNameMeta, engine.NewPath("metadata", "generateName"),
				"%s generateName %q is not a valid prefix for %s: %s", obj.Kind, gen, nc.what, strings.Join(errs, "; ")))
		}
	}
	if ns, ok := rawString(md, "namespace"); ok && ns != "" {
		if errs := validation.IsDNS1123Label(ns); len(errs) > 0 {
			out = append(out, engine.NewFinding(objectNameMeta, engine.NewPath("metadata", "namespace"),
				"namespace %q is not a DNS-1123 label: %s", ns, strings.Join(errs, "; ")))
		}
	}
	return out, nil
}

// builtinGroup reports whether obj's group is one of groups: the per-kind
// name rules are for the built-in kinds, not for a custom resource that
// happens to be called Service.
func builtinGroup(obj *engine.Object, groups ...string) bool {
	for _, g := range groups {
		if obj.GVK.Group == g {
			return true
		}
	}
	return false
}
