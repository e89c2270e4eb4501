package engine_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
)

func TestPodTemplatesOf(t *testing.T) {
	src := `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: not-the-template}}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec: {containers: [{name: a, image: x}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  schedule: "* * * * *"
  jobTemplate: {spec: {template: {metadata: {labels: {app: report}}, spec: {restartPolicy: Never, containers: [{name: a, image: x}]}}}}
---
apiVersion: v1
kind: Pod
metadata: {name: debug, labels: {app: web}}
spec: {containers: [{name: a, image: x}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}}
`
	objs, errs := manifest.NewParser(manifest.DefaultLimits()).Parse("t.yaml", []byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	inv := engine.NewInventory(objs)
	pts := engine.PodTemplatesOf(inv)
	if engine.PodTemplatesOf(inv) != pts {
		t.Error("PodTemplatesOf computes the index again for the same inventory")
	}
	names := func(ts []engine.PodTemplate) []string {
		var out []string
		for _, x := range ts {
			out = append(out, x.Owner.Kind+"/"+x.Owner.Name)
		}
		return out
	}
	tests := []struct {
		name      string
		namespace string
		selector  string
		want      []string
	}{
		{name: "template labels, not the workload's", namespace: "shop", selector: "app=web", want: []string{"Deployment/web"}},
		{name: "the workload's own labels select nothing", namespace: "shop", selector: "app=not-the-template"},
		{name: "a CronJob's job template", namespace: "shop", selector: "app=report", want: []string{"CronJob/report"}},
		{name: "a namespaceless Pod is in default", namespace: "default", selector: "app=web", want: []string{"Pod/debug"}},
		{name: "two labels", namespace: "shop", selector: "app=web,tier=front", want: []string{"Deployment/web"}},
		{name: "in, in source order", namespace: "shop", selector: "app in (report, web)", want: []string{"Deployment/web", "CronJob/report"}},
		{name: "in and exists", namespace: "shop", selector: "app in (report, web),tier", want: []string{"Deployment/web"}},
		{name: "only exists", namespace: "shop", selector: "tier", want: []string{"Deployment/web"}},
		{name: "only notin", namespace: "shop", selector: "app notin (web)", want: []string{"CronJob/report"}},
		{name: "a value no template carries", namespace: "shop", selector: "app=web,tier=back"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel, err := labels.Parse(tt.selector)
			if err != nil {
				t.Fatal(err)
			}
			got := names(pts.Select(tt.namespace, sel))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Select (-want +got):\n%s", diff)
			}
		})
	}
	if pts.Select("shop", nil) != nil {
		t.Error("a nil selector selects something")
	}
	if !pts.Any() || engine.PodTemplatesOf(nil).Any() {
		t.Error("Any is wrong")
	}
}
