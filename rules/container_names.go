package rules

import (
	"context"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubegate/kubegate/engine"
)

// containerNames reports container names the API server rejects: missing,
// not a DNS-1123 label, or used twice in one pod.
type containerNames struct{}

var containerNamesMeta = engine.Meta{
	ID:    "container-names",
	Title: "Container names are valid and unique",
	Description: "Every container and init container needs a name that is a DNS-1123 label (lowercase " +
		"letters, digits and '-', starting and ending with a letter or digit, at most 63 characters) " +
		"and unique within the pod, init containers included: the kubelet, logs and `kubectl exec -c` " +
		"address containers by name. The API server rejects a pod template that breaks either rule.",
	Remediation: "Rename the container: lowercase, digits and dashes, unique in the pod.",
	Severity:    engine.Error,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("container-names"),
}

// Meta describes the rule.
func (containerNames) Meta() engine.Meta { return containerNamesMeta }

// Check validates every container name of the pod spec.
func (containerNames) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	ref, ok := engine.PodSpecOf(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	seen := map[string]bool{}
	// The API server checks containers before init containers, so a name
	// shared by both is a duplicate at the init container.
	all := ref.Containers()
	ordered := make([]engine.ContainerRef, 0, len(all))
	for _, c := range all {
		if !c.Init {
			ordered = append(ordered, c)
		}
	}
	for _, c := range all {
		if c.Init {
			ordered = append(ordered, c)
		}
	}
	for _, c := range ordered {
		name := c.Container.Name
		at := existing(obj, c.Path.Child("name"))
		switch {
		case name == "":
			out = append(out, engine.NewFinding(containerNamesMeta, at, "a container has no name; the API server requires one"))
		case seen[name]:
			out = append(out, engine.NewFinding(containerNamesMeta, at,
				"container name %q is used twice in the pod (init containers included); the API server rejects duplicates", name))
		default:
			if errs := validation.IsDNS1123Label(name); len(errs) > 0 {
				out = append(out, engine.NewFinding(containerNamesMeta, at,
					"container name %q is not a DNS-1123 label: %s", name, strings.Join(errs, "; ")))
			}
		}
		seen[name] = true
	}
	return out, nil
}
