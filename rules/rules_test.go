package rules_test

import (
	"context"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/rules"
)

// TestGoRulesMeta checks what docs, SARIF and the config file rely on.
func TestGoRulesMeta(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range rules.GoRules() {
		m := r.Meta()
		t.Run(m.ID, func(t *testing.T) {
			if seen[m.ID] {
				t.Errorf("duplicate id %s", m.ID)
			}
			seen[m.ID] = true
			if m.Title == "" || m.Description == "" || m.Remediation == "" {
				t.Errorf("title, description and remediation are required: %+v", m)
			}
			if m.Source != "go" {
				t.Errorf("Source = %q, want go", m.Source)
			}
			if m.DocURL != rules.DocURL(m.ID) {
				t.Errorf("DocURL = %q, want %q", m.DocURL, rules.DocURL(m.ID))
			}
			if len(m.Kinds) == 0 {
				t.Error("Kinds is empty; say \"*\" for every kind")
			}
			if m.Severity != engine.Info && m.Severity != engine.Warning && m.Severity != engine.Error {
				t.Errorf("Severity = %s", m.Severity)
			}
			_, configurable := r.(engine.Configurable)
			if configurable != (len(m.Params) > 0) {
				t.Errorf("configurable = %v but %d documented params", configurable, len(m.Params))
			}
		})
	}
}

func goRule(t *testing.T, id string) engine.Rule {
	t.Helper()
	for _, r := range rules.GoRules() {
		if r.Meta().ID == id {
			return r
		}
	}
	t.Fatalf("no Go rule %s", id)
	return nil
}

func TestQOSMinClassConfigure(t *testing.T) {
	base, ok := goRule(t, "qos-min-class").(engine.Configurable)
	if !ok {
		t.Fatal("qos-min-class is not Configurable")
	}
	if !base.Meta().Disabled {
		t.Error("qos-min-class should be disabled by default")
	}
	// A Burstable pod: fires under the default minimum (Guaranteed) only.
	burstable := &engine.Object{Kind: "Pod", GVK: engine.GVK{Version: "v1", Kind: "Pod"}, Typed: &corev1.Pod{Spec: corev1.PodSpec{
		Containers: []corev1.Container{ctr("app", rl("memory", "64Mi"), nil)},
	}}}
	tests := []struct {
		name      string
		params    map[string]any
		wantErr   string
		wantFires bool
	}{
		{name: "no params: Guaranteed", params: nil, wantFires: true},
		{name: "empty params: Guaranteed", params: map[string]any{}, wantFires: true},
		{name: "Burstable", params: map[string]any{"minQoSClass": "Burstable"}, wantFires: false},
		{name: "BestEffort", params: map[string]any{"minQoSClass": "BestEffort"}, wantFires: false},
		{name: "Guaranteed", params: map[string]any{"minQoSClass": "Guaranteed"}, wantFires: true},
		{name: "bad value", params: map[string]any{"minQoSClass": "guaranteed"}, wantErr: `minQoSClass "guaranteed": want BestEffort, Burstable or Guaranteed`},
		{name: "wrong type", params: map[string]any{"minQoSClass": 2}, wantErr: "decode parameters of qos-min-class"},
		{name: "unknown param", params: map[string]any{"minClass": "Burstable"}, wantErr: `unknown parameter "minClass"`},
		{name: "param name in another case", params: map[string]any{"minQosClass": "Burstable"}, wantErr: `unknown parameter "minQosClass"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := base.Configure(tt.params)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Configure error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			fs, err := r.Check(context.Background(), burstable, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(fs) > 0; got != tt.wantFires {
				t.Errorf("fires = %v, want %v (%v)", got, tt.wantFires, fs)
			}
		})
	}
	// Configure leaves the receiver untouched.
	if _, err := base.Configure(map[string]any{"minQoSClass": "BestEffort"}); err != nil {
		t.Fatal(err)
	}
	if fs, _ := base.Check(context.Background(), burstable, nil); len(fs) == 0 {
		t.Error("Configure changed the receiver")
	}
}

// TestGoRulesNeverPanic runs every Go rule directly (the engine would turn a
// panic into an error) over objects with nothing set: no typed object,
// zero-value workloads, containers without probes or resources.
func TestGoRulesNeverPanic(t *testing.T) {
	bare := []corev1.Container{{Name: "app"}}
	never := corev1.PodSpec{RestartPolicy: corev1.RestartPolicyNever, Containers: bare, InitContainers: bare}
	withProbes := corev1.PodSpec{Containers: []corev1.Container{{
		Name:           "app",
		LivenessProbe:  &corev1.Probe{},
		ReadinessProbe: &corev1.Probe{ProbeHandler: corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{}, TCPSocket: &corev1.TCPSocketAction{}, GRPC: &corev1.GRPCAction{}}},
		StartupProbe:   &corev1.Probe{},
	}}, Resources: &corev1.ResourceRequirements{}}
	objects := []struct {
		name  string
		typed runtime.Object
	}{
		{"untyped", nil},
		{"empty pod", &corev1.Pod{}},
		{"empty pod template", &corev1.PodTemplate{}},
		{"replication controller without template", &corev1.ReplicationController{}},
		{"empty deployment", &appsv1.Deployment{}},
		{"empty cronjob", &batchv1.CronJob{}},
		{"bare containers, restartPolicy Never", &corev1.Pod{Spec: never}},
		{"probes without handlers or ports", &corev1.Pod{Spec: withProbes}},
		{"config map", &corev1.ConfigMap{}},
	}
	for _, o := range objects {
		obj := &engine.Object{Kind: "Pod", GVK: engine.GVK{Version: "v1", Kind: "Pod"}, Typed: o.typed,
			Problems: []engine.FieldProblem{{Message: "cannot decode"}}}
		for _, r := range rules.GoRules() {
			t.Run(o.name+"/"+r.Meta().ID, func(t *testing.T) {
				if _, err := r.Check(context.Background(), obj, nil); err != nil {
					t.Error(err)
				}
			})
		}
	}
}
