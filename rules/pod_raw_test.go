package rules

import "testing"

func TestImageRef(t *testing.T) {
	tests := []struct {
		image, name, tag, digest, pull string
	}{
		{image: "nginx", name: "nginx", pull: "Always"},
		{image: "nginx:latest", name: "nginx", tag: "latest", pull: "Always"},
		{image: "nginx:1.27", name: "nginx", tag: "1.27", pull: "IfNotPresent"},
		{image: "registry:5000/team/app", name: "registry:5000/team/app", pull: "Always"},
		{image: "registry:5000/team/app:v2", name: "registry:5000/team/app", tag: "v2", pull: "IfNotPresent"},
		{image: "app@sha256:abc", name: "app", digest: "sha256:abc", pull: "IfNotPresent"},
		{image: "app:latest@sha256:abc", name: "app", tag: "latest", digest: "sha256:abc", pull: "IfNotPresent"},
		{image: "app:", name: "app", pull: "Always"},
	}
	for _, tt := range tests {
		t.Run(tt.image, func(t *testing.T) {
			name, tag, digest := imageRef(tt.image)
			if name != tt.name || tag != tt.tag || digest != tt.digest {
				t.Errorf("imageRef(%q) = %q, %q, %q; want %q, %q, %q", tt.image, name, tag, digest, tt.name, tt.tag, tt.digest)
			}
			if got := pullPolicyDefault(tt.image); got != tt.pull {
				t.Errorf("pullPolicyDefault(%q) = %s; want %s", tt.image, got, tt.pull)
			}
		})
	}
}
