package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// readOnlyRootFilesystem reports containers without a read-only root
// filesystem. It was ported from Rego for speed, with the same findings.
type readOnlyRootFilesystem struct{}

var readOnlyRootFilesystemMeta = engine.Meta{
	ID:    "read-only-root-filesystem",
	Title: "Containers have a read-only root filesystem",
	Description: "With readOnlyRootFilesystem true nothing in the container can change its own binaries or " +
		"drop tools into the image's directories; the process writes to the volumes it mounts (an emptyDir " +
		"for /tmp). It also keeps writes off the node's container storage. Windows pods are skipped. Matches " +
		"kube-linter's no-read-only-root-fs, kube-score's container-security-context-readonlyrootfilesystem " +
		"and Polaris' notReadOnlyRootFilesystem.",
	Remediation: "Set securityContext.readOnlyRootFilesystem to true and mount an emptyDir where the process " +
		"must write (for example /tmp).",
	Severity: engine.Warning,
	Kinds:    workloadKinds,
	Source:   "go",
	DocURL:   DocURL("read-only-root-filesystem"),
}

// Meta describes the rule.
func (readOnlyRootFilesystem) Meta() engine.Meta { return readOnlyRootFilesystemMeta }

// Check reports each container of a Linux pod whose readOnlyRootFilesystem
// is not true, at the field or where it would go.
func (readOnlyRootFilesystem) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	p, ok := rawPodOf(obj)
	if !ok || !p.Linux() {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range p.Containers() {
		if v, _ := rawGet(c.M, "securityContext", "readOnlyRootFilesystem"); v == true {
			continue
		}
		out = append(out, engine.NewFinding(readOnlyRootFilesystemMeta, containerSecurityPath(c, "readOnlyRootFilesystem"),
			"container %q can write to its root filesystem; set readOnlyRootFilesystem to true", containerNameArg(c)))
	}
	return out, nil
}
