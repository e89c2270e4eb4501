package engine_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
)

func TestPathRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		path engine.Path
		want string
	}{
		{name: "keys and indices", path: engine.NewPath("spec", "containers", 0, "livenessProbe"), want: "spec.containers[0].livenessProbe"},
		{name: "dotted label key", path: engine.NewPath("metadata", "labels", "app.kubernetes.io/name"), want: `metadata.labels["app.kubernetes.io/name"]`},
		{name: "empty", path: nil, want: ""},
		{name: "leading index", path: engine.NewPath(3, "a"), want: "[3].a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.path.String(); got != tt.want {
				t.Fatalf("String() = %q, want %q", got, tt.want)
			}
			back, err := engine.ParsePath(tt.want)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.path, back, cmp.Comparer(func(a, b engine.Path) bool { return a.String() == b.String() })); diff != "" {
				t.Errorf("ParsePath (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParsePathForms(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{in: ".spec.containers[1]", want: "spec.containers[1]"},
		{in: "metadata.annotations['a.b/c']", want: `metadata.annotations["a.b/c"]`},
		{in: "spec[", wantErr: true},
		{in: "spec[-1]", wantErr: true},
		{in: `a["x`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := engine.ParsePath(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ParsePath(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if err == nil && p.String() != tt.want {
				t.Errorf("ParsePath(%q) = %q, want %q", tt.in, p, tt.want)
			}
		})
	}
}

func TestChildDoesNotAlias(t *testing.T) {
	base := make(engine.Path, 0, 8).Child("spec")
	a := base.Child("a")
	b := base.Child("b")
	if a.String() != "spec.a" || b.String() != "spec.b" {
		t.Fatalf("children share storage: %s %s", a, b)
	}
}

func parse(t testing.TB, src string) []*engine.Object {
	t.Helper()
	objs, errs := manifest.NewParser(manifest.DefaultLimits()).Parse("in.yaml", []byte(src))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return objs
}

const inventorySrc = `apiVersion: v1
kind: Service
metadata: {name: web}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: web, tier: front}}
---
apiVersion: apps/v1beta2
kind: Deployment
metadata: {name: api, namespace: shop, labels: {app: api, tier: front}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: other, namespace: default, labels: {app: web}}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
`

func names(objs []*engine.Object) []string {
	var out []string
	for _, o := range objs {
		out = append(out, o.EffectiveNamespace()+"/"+o.Name)
	}
	return out
}

func TestInventory(t *testing.T) {
	inv := engine.NewInventory(parse(t, inventorySrc))
	svc := engine.GroupKind{Kind: "Service"}
	deploy := engine.GroupKind{Group: "apps", Kind: "Deployment"}

	if o, ok := inv.Get(svc, "", "web"); !ok || o.Namespace != "" {
		t.Errorf("Get(Service, \"\", web): a namespaceless Service lands in default; got %v %v", o, ok)
	}
	if _, ok := inv.Get(svc, "default", "web"); !ok {
		t.Error("Get(Service, default, web) not found")
	}
	if _, ok := inv.Get(engine.GroupKind{Kind: "Namespace"}, "", "shop"); !ok {
		t.Error("cluster-scoped Namespace not found")
	}
	if got, want := names(inv.List(deploy, "shop")), []string{"shop/api", "shop/web"}; !cmp.Equal(got, want) {
		t.Errorf("List(Deployment, shop) = %v, want %v (versions are one resource)", got, want)
	}
	if got, want := names(inv.List(deploy, "")), []string{"default/other", "shop/api", "shop/web"}; !cmp.Equal(got, want) {
		t.Errorf("List(Deployment, all) = %v, want %v", got, want)
	}
	tests := []struct {
		sel       string
		namespace string
		want      []string
	}{
		{sel: "app=web", namespace: "", want: []string{"default/other", "shop/web"}},
		{sel: "app=web", namespace: "shop", want: []string{"shop/web"}},
		{sel: "tier=front,app!=web", namespace: "shop", want: []string{"shop/api"}},
		{sel: "tier", namespace: "", want: []string{"shop/api", "shop/web"}},
		{sel: "app in (web,api)", namespace: "shop", want: []string{"shop/api", "shop/web"}},
		{sel: "app=nothing", namespace: "", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.sel+"@"+tt.namespace, func(t *testing.T) {
			sel, err := labels.Parse(tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(inv.Select(deploy, tt.namespace, sel)); !cmp.Equal(got, tt.want) {
				t.Errorf("Select = %v, want %v", got, tt.want)
			}
		})
	}
	if got := inv.Select(deploy, "", nil); got != nil {
		t.Errorf("nil selector selected %v", got)
	}
}

// funcRule is a rule made of a function, for tests.
type funcRule struct {
	meta  engine.Meta
	check func(*engine.Object, engine.Inventory) ([]engine.Finding, error)
}

func (r funcRule) Meta() engine.Meta { return r.meta }
func (r funcRule) Check(_ context.Context, o *engine.Object, inv engine.Inventory) ([]engine.Finding, error) {
	return r.check(o, inv)
}

func TestRunOrdersLocatesAndIsolatesFailures(t *testing.T) {
	objs := parse(t, inventorySrc)
	named := funcRule{
		meta: engine.Meta{ID: "named", Severity: engine.Warning, Remediation: "fix it", Kinds: []string{"apps/Deployment", "Service"}},
		check: func(o *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
			return []engine.Finding{engine.NewFinding(engine.Meta{ID: "named", Severity: engine.Warning}, engine.NewPath("metadata", "name"), "%s %s", o.Kind, o.Name)}, nil
		},
	}
	panics := funcRule{
		meta:  engine.Meta{ID: "panics", Kinds: []string{"Namespace"}},
		check: func(*engine.Object, engine.Inventory) ([]engine.Finding, error) { panic("boom") },
	}
	fails := funcRule{
		meta: engine.Meta{ID: "fails", Kinds: []string{"core/Service"}},
		check: func(o *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
			if o.Namespace == "shop" {
				return nil, errors.New("broken")
			}
			return nil, nil
		},
	}
	// Reverse rule order must not change the output order.
	for _, rules := range [][]engine.Rule{{named, panics, fails}, {fails, panics, named}} {
		res, err := engine.New(rules, engine.WithWorkers(3), engine.WithSeverityOverrides(map[string]engine.Severity{"named": engine.Error})).Run(context.Background(), objs, nil)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range res.Findings {
			got = append(got, fmt.Sprintf("%s:%d:%d %s %s %s (%s)", f.Location.File, f.Location.Line, f.Location.Column, f.Severity, f.RuleID, f.Message, f.Remediation))
		}
		want := []string{
			"in.yaml:3:12 error named Service web (fix it)",
			"in.yaml:7:12 error named Service web (fix it)",
			"in.yaml:11:12 error named Deployment web (fix it)",
			"in.yaml:15:12 error named Deployment api (fix it)",
			"in.yaml:19:12 error named Deployment other (fix it)",
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("findings (-want +got):\n%s", diff)
		}
		var errs []string
		for _, e := range res.Errors {
			errs = append(errs, fmt.Sprintf("%d %s", e.Location.Line, e.Error()))
		}
		wantErrs := []string{
			"5 run rule fails on Service/web: broken",
			"21 run rule panics on Namespace/shop: rule panicked: boom",
		}
		if diff := cmp.Diff(wantErrs, errs); diff != "" {
			t.Errorf("errors (-want +got):\n%s", diff)
		}
	}
}

func TestRunHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := engine.New(nil).Run(ctx, parse(t, inventorySrc), nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run on a cancelled context = %v", err)
	}
}

func TestMatchesKind(t *testing.T) {
	deploy := engine.GVK{Group: "apps", Version: "v1", Kind: "Deployment"}
	pod := engine.GVK{Version: "v1", Kind: "Pod"}
	tests := []struct {
		kinds []string
		gvk   engine.GVK
		want  bool
	}{
		{nil, pod, true},
		{[]string{"*"}, deploy, true},
		{[]string{"Deployment"}, deploy, true},
		{[]string{"apps/Deployment"}, deploy, true},
		{[]string{"extensions/Deployment"}, deploy, false},
		{[]string{"core/Pod"}, pod, true},
		{[]string{"apps/*"}, deploy, true},
		{[]string{"Pod"}, deploy, false},
	}
	for _, tt := range tests {
		if got := (engine.Meta{Kinds: tt.kinds}).MatchesKind(tt.gvk); got != tt.want {
			t.Errorf("Kinds %v MatchesKind(%v) = %v, want %v", tt.kinds, tt.gvk, got, tt.want)
		}
	}
}

func TestPodSpecOf(t *testing.T) {
	src := `apiVersion: batch/v1
kind: CronJob
metadata: {name: c}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          initContainers: [{name: init}]
          containers: [{name: a}]
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  restartPolicy: Never
  containers: [{name: a}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: x}
`
	objs := parse(t, src)
	var got []string
	for _, o := range objs {
		ref, ok := engine.PodSpecOf(o)
		if !ok {
			got = append(got, o.Kind+": none")
			continue
		}
		var cs []string
		for _, c := range ref.Containers() {
			cs = append(cs, c.Path.String())
		}
		got = append(got, fmt.Sprintf("%s: %s class=%d %s", o.Kind, ref.Path, ref.Class, strings.Join(cs, " ")))
	}
	want := []string{
		"CronJob: spec.jobTemplate.spec.template.spec class=2 spec.jobTemplate.spec.template.spec.initContainers[0] spec.jobTemplate.spec.template.spec.containers[0]",
		"Pod: spec class=2 spec.containers[0]",
		"ConfigMap: none",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if engine.QOSClass(&corev1.PodSpec{}) != corev1.PodQOSBestEffort {
		t.Error("empty pod spec is not BestEffort")
	}
}

func TestSeverityText(t *testing.T) {
	for _, s := range []engine.Severity{engine.Info, engine.Warning, engine.Error} {
		b, _ := s.MarshalText()
		var back engine.Severity
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("round trip of %v = %v, %v", s, back, err)
		}
	}
	if _, err := engine.ParseSeverity("fatal"); err == nil {
		t.Error("ParseSeverity(fatal) succeeded")
	}
}
