package rules

import (
	"context"
	"strings"

	"github.com/kubegate/kubegate/engine"
)

// imageDigest reports containers whose image is not pinned by a sha256
// digest. It was ported from Rego for speed and reports exactly what the
// policy did.
type imageDigest struct{}

var imageDigestMeta = engine.Meta{
	ID:    "image-digest",
	Title: "Images are pinned by digest",
	Description: "A tag is a movable pointer: whoever can push to the repository can " +
		"change what v1.2.3 runs, and nodes that pulled it earlier keep the old " +
		"image, so replicas of one Deployment may run different code. A digest " +
		"(image@sha256:...) names exactly one image, which is what supply-chain " +
		"policies and reproducible rollbacks need. Off by default: most teams " +
		"pin tags and let a tool such as Renovate manage digests. Matches " +
		"kube-linter's image-not-pinned-by-digest.",
	Remediation: "Reference the image as name:tag@sha256:<digest>, for example with crane digest or your registry's UI.",
	Severity:    engine.Warning,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("image-digest"),
	Disabled:    true,
}

// Meta describes the rule.
func (imageDigest) Meta() engine.Meta { return imageDigestMeta }

// Check reports each container and init container with an image that does
// not contain "@sha256:", at its image. As in the policy, an image that is
// not a string at all (null, a number) counts as not pinned, while a
// missing or empty image is left to other checks.
func (imageDigest) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	pod, ok := rawPodOf(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range pod.Containers() {
		image, ok := c.M["image"]
		if !ok {
			continue
		}
		if s, isString := image.(string); isString && (s == "" || strings.Contains(s, "@sha256:")) {
			continue
		}
		out = append(out, engine.NewFinding(imageDigestMeta, c.Path.Child("image"),
			"container %q runs image %q by tag, not by digest: what it runs can change under the same name", containerNameArg(c), regoArg(image)))
	}
	return out, nil
}
