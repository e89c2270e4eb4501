package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// pvHostPath reports PersistentVolumes backed by a node's directory.
type pvHostPath struct{}

var pvHostPathMeta = engine.Meta{
	ID:    "pv-hostpath",
	Title: "PersistentVolumes are not hostPath",
	Description: "A hostPath PersistentVolume is a directory on whichever node the pod lands on: the data stays " +
		"behind when the pod moves to another node, and nothing stops two nodes from each holding their own " +
		"copy. It is meant for single-node test clusters. (Pods that mount hostPath directly are reported by " +
		"the security rules.)",
	Remediation: "Use a volume type that follows the pod (a CSI driver, a cloud disk, NFS), or a local volume with node affinity.",
	Severity:    engine.Warning,
	Kinds:       []string{"core/PersistentVolume"},
	Source:      "go",
	DocURL:      DocURL("pv-hostpath"),
}

// Meta describes the rule.
func (pvHostPath) Meta() engine.Meta { return pvHostPathMeta }

// Check looks for spec.hostPath.
func (pvHostPath) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	hp := rawMap(obj.Raw, "spec", "hostPath")
	if hp == nil {
		return nil, nil
	}
	path, _ := rawString(hp, "path")
	return []engine.Finding{engine.NewFinding(pvHostPathMeta, engine.NewPath("spec", "hostPath"),
		"the volume is the directory %q on whichever node mounts it; its data does not follow the pod to another node", path)}, nil
}
