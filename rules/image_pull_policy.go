package rules

import (
	"context"

	"github.com/kubegate/kubegate/engine"
)

// imagePullPolicy reports an imagePullPolicy that does not fit the image
// reference: IfNotPresent or Never with a moving tag, and Never with a
// pinned one. It was ported from Rego for speed and reports exactly what the
// policy did.
type imagePullPolicy struct{}

var imagePullPolicyMeta = engine.Meta{
	ID:    "image-pull-policy",
	Title: "imagePullPolicy fits the image reference",
	Description: "When imagePullPolicy is unset the API server sets it to Always for an " +
		"untagged or :latest image and to IfNotPresent otherwise. Two " +
		"combinations surprise: a moving tag with IfNotPresent (or Never) keeps " +
		"whatever image a node pulled first, so nodes run different code under " +
		"one name; and Never fails on every node that has not been preloaded. " +
		"A pinned tag or digest with Always is not reported: it is safe, only " +
		"dependent on the registry at every start. Covers kube-score's " +
		"container-image-pull-policy and Polaris' pullPolicyNotAlways in intent " +
		"(both want Always with a moving tag).",
	Remediation: "Pin the image to a version or digest and leave imagePullPolicy unset (IfNotPresent), or use Always with a moving tag.",
	Severity:    engine.Warning,
	Kinds:       workloadKinds,
	Source:      "go",
	DocURL:      DocURL("image-pull-policy"),
}

// Meta describes the rule.
func (imagePullPolicy) Meta() engine.Meta { return imagePullPolicyMeta }

// Check reports, at its imagePullPolicy, each container and init container
// with a string image whose policy is IfNotPresent or Never while the
// default for the image would be Always, or Never while it would be
// IfNotPresent.
func (imagePullPolicy) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	pod, ok := rawPodOf(obj)
	if !ok {
		return nil, nil
	}
	var out []engine.Finding
	for _, c := range pod.Containers() {
		image, ok := c.M["image"].(string)
		if !ok {
			continue
		}
		policy, _ := c.M["imagePullPolicy"].(string)
		if policy != "IfNotPresent" && policy != "Never" {
			continue
		}
		if pullPolicyDefault(image) == "Always" {
			out = append(out, engine.NewFinding(imagePullPolicyMeta, c.Path.Child("imagePullPolicy"),
				"container %q pulls %q with imagePullPolicy %s: a node keeps whatever that moving tag meant when it first pulled it, so nodes run different images", containerNameArg(c), image, policy))
		} else if policy == "Never" {
			out = append(out, engine.NewFinding(imagePullPolicyMeta, c.Path.Child("imagePullPolicy"),
				"container %q has imagePullPolicy Never: it starts only on nodes where %q was preloaded", containerNameArg(c), image))
		}
	}
	return out, nil
}
