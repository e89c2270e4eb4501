package rules

import (
	"context"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubegate/kubegate/engine"
)

// volumeNames reports what the API server rejects about a pod's volumes and
// the mounts that name them: a volume without a valid, unique name, a mount
// of a volume the pod does not define, and two mounts at one path.
type volumeNames struct{}

var volumeNamesMeta = engine.Meta{
	ID:    "volume-names",
	Title: "Volumes have valid, unique names and every mount names one",
	Description: "A pod's volumes are addressed by name: each needs a name that is a DNS-1123 label and " +
		"unique in the pod, every volumeMount and volumeDevice of a container or init container must " +
		"name one of them, and one container cannot mount two volumes at the same path. The API " +
		"server rejects a pod template that breaks any of these.",
	Remediation: "Give each volume its own lowercase name, and mount only volumes listed under the pod's volumes, each at its own path.",
	Severity:    engine.Error,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("volume-names"),
}

// Meta describes the rule.
func (volumeNames) Meta() engine.Meta { return volumeNamesMeta }

// Check validates the volumes of the pod spec and the mounts of every
// container and init container.
func (volumeNames) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	ref, ok := engine.PodSpecOf(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	// defined holds the names a mount may use: the valid volume names (the
	// API server reports a mount of an invalid one as not found too) and a
	// StatefulSet's claim templates, which become volumes of every pod.
	defined := make(map[string]bool, len(ref.Spec.Volumes))
	if obj.Kind == "StatefulSet" {
		for _, t := range rawList(obj.Raw, "spec", "volumeClaimTemplates") {
			if name, ok := rawString(t, "metadata", "name"); ok {
				defined[name] = true
			}
		}
	}
	seen := make(map[string]bool, len(ref.Spec.Volumes))
	for i, v := range ref.Spec.Volumes {
		at := existing(obj, ref.Path.Child("volumes").Index(i).Child("name"))
		switch {
		case v.Name == "":
			out = append(out, engine.NewFinding(volumeNamesMeta, at, "a volume has no name; the API server requires one"))
		case seen[v.Name]:
			out = append(out, engine.NewFinding(volumeNamesMeta, at,
				"volume name %q is used twice in the pod; the API server rejects duplicates", v.Name))
		default:
			if errs := validation.IsDNS1123Label(v.Name); len(errs) > 0 {
				out = append(out, engine.NewFinding(volumeNamesMeta, at,
					"volume name %q is not a DNS-1123 label: %s", v.Name, strings.Join(errs, "; ")))
			} else {
				defined[v.Name] = true
			}
		}
		seen[v.Name] = true
	}
	for _, c := range ref.Containers() {
		paths := map[string]bool{}
		for j, m := range c.Container.VolumeMounts {
			if m.Name != "" && !defined[m.Name] {
				at := existing(obj, c.Path.Child("volumeMounts").Index(j).Child("name"))
				if seen[m.Name] {
					out = append(out, engine.NewFinding(volumeNamesMeta, at,
						"container %q mounts volume %q, whose name is invalid, so the API server does not find it", c.Container.Name, m.Name))
				} else {
					out = append(out, engine.NewFinding(volumeNamesMeta, at,
						"container %q mounts volume %q, which the pod does not define", c.Container.Name, m.Name))
				}
			}
			if m.MountPath == "" {
				continue
			}
			if paths[m.MountPath] {
				out = append(out, engine.NewFinding(volumeNamesMeta, existing(obj, c.Path.Child("volumeMounts").Index(j).Child("mountPath")),
					"container %q mounts two volumes at %s; the API server requires each mount path to be unique", c.Container.Name, m.MountPath))
			}
			paths[m.MountPath] = true
		}
		for j, d := range c.Container.VolumeDevices {
			if d.Name != "" && !defined[d.Name] {
				out = append(out, engine.NewFinding(volumeNamesMeta, existing(obj, c.Path.Child("volumeDevices").Index(j).Child("name")),
					"container %q uses volume %q as a device, which the pod does not define", c.Container.Name, d.Name))
			}
		}
	}
	return out, nil
}
