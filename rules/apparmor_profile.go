package rules

import (
	"context"
	"strings"

	"github.com/kubegate/kubegate/engine"
)

// apparmorProfile reports AppArmor-unconfined containers. It was ported
// from Rego for speed, with the same findings.
type apparmorProfile struct{}

var apparmorProfileMeta = engine.Meta{
	ID:    "apparmor-profile",
	Title: "Containers are not AppArmor-unconfined",
	Description: "On nodes with AppArmor the runtime confines every container with its default profile " +
		"unless told otherwise. securityContext.appArmorProfile type Unconfined (Kubernetes 1.30 and later; " +
		"the container's setting wins over the pod's) or the deprecated annotation " +
		"container.apparmor.security.beta.kubernetes.io/<container>: unconfined turns that off. Matches the " +
		"AppArmor part of Polaris' linuxHardening.",
	Remediation: "Remove the Unconfined AppArmor profile; use RuntimeDefault or a Localhost profile written " +
		"for the application.",
	Severity: engine.Warning,
	Kinds:    workloadKinds,
	Source:   "go",
	DocURL:   DocURL("apparmor-profile"),
}

// apparmorAnnotationPrefix starts the deprecated per-container AppArmor
// annotation of a pod (template).
const apparmorAnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/"

// Meta describes the rule.
func (apparmorProfile) Meta() engine.Meta { return apparmorProfileMeta }

// Check reports, in a Linux pod, each container whose effective
// appArmorProfile (the container's, else the pod's) has type Unconfined,
// at the type, and each AppArmor annotation of the pod (template) whose
// value is unconfined, at the annotation, whether or not a container of
// that name exists.
func (apparmorProfile) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	p, ok := rawPodOf(obj)
	if !ok || !p.Linux() {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range p.Containers() {
		v, ok := p.SecurityValue(c, "appArmorProfile")
		if !ok {
			continue
		}
		if profile, _ := v.(map[string]any); profile["type"] == "Unconfined" {
			out = append(out, engine.NewFinding(apparmorProfileMeta, p.SecurityPath(c, "appArmorProfile").Child("type"),
				"container %q runs AppArmor-unconfined", containerNameArg(c)))
		}
	}
	out = uniqueFindings(out)

	_, metaPath, _ := engine.PodPaths(obj.Kind)
	var meta any = obj.Raw
	for _, e := range metaPath {
		meta, _ = rawGet(meta, e.Key)
	}
	for key, value := range rawMap(meta, "annotations") {
		name, ok := strings.CutPrefix(key, apparmorAnnotationPrefix)
		if !ok || value != "unconfined" {
			continue
		}
		out = append(out, engine.NewFinding(apparmorProfileMeta, metaPath.Child("annotations", key),
			"container %q runs AppArmor-unconfined (annotation %s, deprecated since 1.30 in favour of securityContext.appArmorProfile)", name, key))
	}
	return out, nil
}
