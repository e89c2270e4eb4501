package render

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kubegate/kubegate/engine"
)

var kustomizeTestdata = filepath.Join("..", "..", "testdata", "render", "kustomize")

// TestKustomizePositions builds the test overlay (namePrefix, namespace, an
// images transformer, a strategic-merge patch, a generator over a base)
// and checks where its fields are reported.
func TestKustomizePositions(t *testing.T) {
	base := filepath.Join(kustomizeTestdata, "base")
	overlay := filepath.Join(kustomizeTestdata, "overlays", "prod")
	deploy := filepath.Join(base, "deployment.yaml")
	patch := filepath.Join(overlay, "deployment-patch.yaml")
	tests := []struct {
		name    string
		kind    string
		objName string
		path    string
		want    engine.Location
	}{
		{name: "unchanged field is in the base", kind: "Deployment", objName: "prod-api", path: "spec.template.spec.containers[0].image",
			want: engine.Location{File: deploy, Line: 17, Column: 11}},
		{name: "field a patch set is in the patch", kind: "Deployment", objName: "prod-api", path: "spec.replicas",
			want: engine.Location{File: patch, Line: 6, Column: 3}},
		{name: "mapping a patch added is in the patch", kind: "Deployment", objName: "prod-api", path: "spec.template.spec.containers[0].securityContext.privileged",
			want: engine.Location{File: patch, Line: 13, Column: 13}},
		{name: "value a transformer changed is at the object", kind: "Deployment", objName: "prod-api", path: "spec.template.spec.containers[1].image",
			want: engine.Location{File: deploy, Line: 1, Column: 1}},
		{name: "name with a prefix is at the object", kind: "Deployment", objName: "prod-api", path: "metadata.name",
			want: engine.Location{File: deploy, Line: 1, Column: 1}},
		{name: "namespace the overlay added is at the object", kind: "Deployment", objName: "prod-api", path: "metadata.namespace",
			want: engine.Location{File: deploy, Line: 1, Column: 1}},
		{name: "container changed inside is its base item", kind: "Deployment", objName: "prod-api", path: "spec.template.spec.containers[1]",
			want: engine.Location{File: deploy, Line: 26, Column: 11}},
		{name: "absent field of a changed container is at the container", kind: "Deployment", objName: "prod-api", path: "spec.template.spec.containers[0].livenessProbe",
			want: engine.Location{File: deploy, Line: 16, Column: 11}},
		{name: "absent field of an unchanged mapping is at the mapping", kind: "Deployment", objName: "prod-api", path: "spec.template.spec.containers[1].resources.limits",
			want: engine.Location{File: deploy, Line: 28, Column: 11}},
		{name: "second resource file", kind: "Service", objName: "prod-api", path: "spec.ports[0].targetPort",
			want: engine.Location{File: filepath.Join(base, "service.yaml"), Line: 10, Column: 7}},
		{name: "generated object is at its generator", kind: "ConfigMap", objName: "prod-api-config-hf678c7m2b", path: "data.LOG_LEVEL",
			want: engine.Location{File: filepath.Join(overlay, "kustomization.yaml"), Line: 13, Column: 5}},
	}
	r := newRenderer(t, Options{})
	objs, errs := r.Render(context.Background(), overlay)
	if len(errs) > 0 {
		t.Fatalf("build: %v", errs)
	}
	if len(objs) != 3 {
		t.Errorf("built %d objects, want 3", len(objs))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := find(t, objs, tt.kind, tt.objName)
			p, err := engine.ParsePath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, obj.Locate(p)); diff != "" {
				t.Errorf("Locate(%s) mismatch (-want +got):\n%s", tt.path, diff)
			}
			if obj.Source.Origin != overlay {
				t.Errorf("Source.Origin = %q, want %q", obj.Source.Origin, overlay)
			}
			md, _ := obj.Raw["metadata"].(map[string]any)
			ann, _ := md["annotations"].(map[string]any)
			if _, ok := ann["config.kubernetes.io/origin"]; ok {
				t.Error("the origin annotation kubegate asked for is left in the object")
			}
		})
	}
}

func TestKustomizeErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		dir   string
		want  string // the error, with DIR for the temporary directory
	}{
		{
			name:  "remote base",
			files: map[string]string{"k/kustomization.yaml": "resources:\n  - cm.yaml\n  - github.com/org/repo//deploy?ref=v1\n", "k/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"},
			dir:   "k",
			want:  "DIR/k/kustomization.yaml:3:5: remote reference github.com/org/repo//deploy?ref=v1: kubegate builds kustomizations offline and fetches nothing; vendor it, or lint the output of kustomize build",
		},
		{
			name: "remote file in a base",
			files: map[string]string{
				"o/kustomization.yaml": "resources:\n  - ../b\n",
				"b/kustomization.yaml": "resources:\n  - https://example.com/cm.yaml\n",
			},
			dir:  "o",
			want: "DIR/b/kustomization.yaml:2:5: remote reference https://example.com/cm.yaml: kubegate builds kustomizations offline and fetches nothing; vendor it, or lint the output of kustomize build",
		},
		{
			name:  "file outside the kustomization",
			files: map[string]string{"k/kustomization.yaml": "resources:\n  - ../cm.yaml\n", "cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"},
			dir:   "k",
			want:  "DIR/k/kustomization.yaml: build kustomization DIR/k:",
		},
		{
			name:  "missing resource",
			files: map[string]string{"k/kustomization.yaml": "resources:\n  - none.yaml\n"},
			dir:   "k",
			want:  "DIR/k/kustomization.yaml: build kustomization DIR/k:",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeFiles(t, tt.files)
			r := newRenderer(t, Options{})
			objs, errs := r.Render(context.Background(), filepath.Join(root, tt.dir))
			if len(objs) != 0 {
				t.Errorf("built %d objects despite the error", len(objs))
			}
			if len(errs) != 1 {
				t.Fatalf("errors = %v, want one", errs)
			}
			want := strings.ReplaceAll(tt.want, "DIR", root)
			if got := errs[0].Error(); !strings.HasPrefix(got, want) {
				t.Errorf("error = %q, want it to start with %q", got, want)
			}
		})
	}
}

func TestIsRemote(t *testing.T) {
	tests := []struct {
		ref  string
		want bool
	}{
		{ref: "../base", want: false},
		{ref: "deployment.yaml", want: false},
		{ref: "github.com/org/repo//base?ref=v1", want: true},
		{ref: "GitHub.com:org/repo", want: true},
		{ref: "https://example.com/x.yaml", want: true},
		{ref: "http://example.com/x.yaml", want: true},
		{ref: "git::https://gitlab.com/org/repo", want: true},
		{ref: "ssh://git@example.com/org/repo", want: true},
		{ref: "git@gitlab.com:org/repo.git", want: true},
		{ref: "file:///srv/repo", want: true},
		{ref: "gitlab.com/org/repo", want: false}, // kustomize reads it as a local path too
		{ref: "apiVersion: v1\nkind: Deployment\n", want: false},
	}
	for _, tt := range tests {
		if got := isRemote(tt.ref); got != tt.want {
			t.Errorf("isRemote(%q) = %v, want %v", tt.ref, got, tt.want)
		}
	}
}

// TestOriginAnnotationsOfTheUser keeps the annotations a kustomization asks
// for itself: they are in what kustomize builds.
func TestOriginAnnotationsOfTheUser(t *testing.T) {
	root := writeFiles(t, map[string]string{
		"kustomization.yaml": "resources:\n  - cm.yaml\nbuildMetadata: [originAnnotations]\n",
		"cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n",
	})
	r := newRenderer(t, Options{})
	objs, errs := r.Render(context.Background(), root)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	obj := find(t, objs, "ConfigMap", "a")
	md, _ := obj.Raw["metadata"].(map[string]any)
	ann, _ := md["annotations"].(map[string]any)
	if ann["config.kubernetes.io/origin"] != "path: cm.yaml\n" {
		t.Errorf("annotations = %v, want the origin annotation the kustomization asked for", ann)
	}
	if diff := cmp.Diff(engine.Location{File: filepath.Join(root, "cm.yaml"), Line: 6, Column: 3}, obj.Locate(engine.NewPath("data", "k"))); diff != "" {
		t.Errorf("Locate(data.k) mismatch (-want +got):\n%s", diff)
	}
}

func TestWithOriginAnnotations(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		want   string
		inject bool
	}{
		{name: "none", in: "resources: [a.yaml]\n", want: "resources: [a.yaml]\nbuildMetadata:\n    - originAnnotations\n", inject: true},
		{name: "other build metadata", in: "buildMetadata: [managedByLabel]\n", want: "buildMetadata: [managedByLabel, originAnnotations]\n", inject: true},
		{name: "already asked for", in: "buildMetadata: [originAnnotations]\n", inject: false},
		{name: "not a mapping", in: "- a\n", inject: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := withOriginAnnotations([]byte(tt.in))
			if ok != tt.inject {
				t.Fatalf("injected = %v, want %v", ok, tt.inject)
			}
			if ok && string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
