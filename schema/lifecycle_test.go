package schema

import (
	"testing"

	"k8s.io/apimachinery/pkg/runtime/schema"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		in      string
		want    Version
		wantErr bool
	}{
		{in: "1.22", want: Version{1, 22}},
		{in: "v1.37", want: Version{1, 37}},
		{in: "1.25.3", want: Version{1, 25}},
		{in: "2.1", wantErr: true},
		{in: "1", wantErr: true},
		{in: "1.x", wantErr: true},
		{in: "1.2.x", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseVersion(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestLifecycleLookup(t *testing.T) {
	x := NewLifecycleIndex()
	tests := []struct {
		apiVersion, kind string
		at               Version
		removed, depr    bool
		replacement      string
	}{
		// From k8s.io/api's generated lifecycle.
		{apiVersion: "extensions/v1beta1", kind: "Ingress", at: Version{1, 21}, depr: true, replacement: "networking.k8s.io/v1"},
		{apiVersion: "extensions/v1beta1", kind: "Ingress", at: Version{1, 22}, removed: true, replacement: "networking.k8s.io/v1"},
		{apiVersion: "batch/v1beta1", kind: "CronJob", at: Version{1, 20}, replacement: "batch/v1"},
		{apiVersion: "batch/v1beta1", kind: "CronJob", at: Version{1, 25}, removed: true, replacement: "batch/v1"},
		{apiVersion: "flowcontrol.apiserver.k8s.io/v1beta3", kind: "FlowSchema", at: Version{1, 32}, removed: true, replacement: "flowcontrol.apiserver.k8s.io/v1"},
		// From the hand-kept table.
		{apiVersion: "autoscaling/v2beta2", kind: "HorizontalPodAutoscaler", at: Version{1, 26}, removed: true, replacement: "autoscaling/v2"},
		{apiVersion: "policy/v1beta1", kind: "PodSecurityPolicy", at: Version{1, 37}, removed: true},
		{apiVersion: "v1", kind: "Endpoints", at: Version{1, 33}, depr: true, replacement: "discovery.k8s.io/v1 EndpointSlice"},
		{apiVersion: "v1", kind: "Endpoints", at: Version{1, 32}, replacement: "discovery.k8s.io/v1 EndpointSlice"},
	}
	for _, tt := range tests {
		l, ok := x.Lookup(tt.apiVersion, tt.kind)
		if !ok {
			t.Errorf("%s %s: not in the index", tt.apiVersion, tt.kind)
			continue
		}
		if l.Removed(tt.at) != tt.removed || l.Deprecated(tt.at) != tt.depr || l.Replacement != tt.replacement {
			t.Errorf("%s %s at %v: removed %v deprecated %v replacement %q; want %v %v %q", tt.apiVersion, tt.kind, tt.at, l.Removed(tt.at), l.Deprecated(tt.at), l.Replacement, tt.removed, tt.depr, tt.replacement)
		}
	}
	for _, gv := range [][2]string{{"apps/v1", "Deployment"}, {"networking.k8s.io/v1", "Ingress"}, {"example.com/v1", "Widget"}} {
		if l, ok := x.Lookup(gv[0], gv[1]); ok {
			t.Errorf("%s %s has a lifecycle: %+v", gv[0], gv[1], l)
		}
	}
}

// The hand-kept table is only for APIs k8s.io/api no longer has; an entry
// for a type it still has would drift from the generated truth.
func TestVanishedAPIsAreReallyGone(t *testing.T) {
	for _, l := range vanished() {
		gv, err := schema.ParseGroupVersion(l.APIVersion)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(l.APIVersion+"/"+l.Kind, func(t *testing.T) {
			typ, known := clientgoscheme.Scheme.AllKnownTypes()[gv.WithKind(l.Kind)]
			if !known {
				return
			}
			if _, generated := generatedLifecycle(gv.WithKind(l.Kind), typ); generated {
				t.Errorf("k8s.io/api has a generated lifecycle for %s %s; drop it from vanished()", l.APIVersion, l.Kind)
			}
		})
	}
}
