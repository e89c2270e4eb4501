package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// imageTag reports containers whose image has no tag or the :latest tag and
// no digest. It was ported from Rego for speed and reports exactly what the
// policy did.
type imageTag struct{}

var imageTagMeta = engine.Meta{
	ID:    "image-tag",
	Title: "Images are pinned to a version",
	Description: "An image without a tag means :latest, and :latest (like any tag that is " +
		"moved) runs whatever was pushed last: two pods of one Deployment can run " +
		"different code, and a rollback does not roll anything back. A digest " +
		"(@sha256:...) pins the image exactly; a version tag pins it as long as " +
		"nobody pushes over it. A registry port (registry:5000/app) is not a " +
		"tag. Matches kube-linter's latest-tag, kube-score's container-image-tag " +
		"and Polaris' tagNotSpecified.",
	Remediation: "Use a version tag (app:1.4.2), or better a digest (app@sha256:...), that you never push over.",
	Severity:    engine.Warning,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("image-tag"),
}

// Meta describes the rule.
func (imageTag) Meta() engine.Meta { return imageTagMeta }

// Check reports each container and init container whose image is a
// non-empty string without a digest and with no tag or :latest, at its
// image.
func (imageTag) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	pod, ok := rawPodOf(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range pod.Containers() {
		image, ok := c.M["image"].(string)
		if !ok || image == "" {
			continue
		}
		_, tag, digest := imageRef(image)
		if digest != "" {
			continue
		}
		switch tag {
		case "":
			out = append(out, engine.NewFinding(imageTagMeta, c.Path.Child("image"),
				"container %q uses image %q with no tag, which means :latest; pin a version or a digest", containerNameArg(c), image))
		case "latest":
			out = append(out, engine.NewFinding(imageTagMeta, c.Path.Child("image"),
				"container %q uses image %q: :latest moves with every push; pin a version or a digest", containerNameArg(c), image))
		}
	}
	return out, nil
}
