package rules_test

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/kubegate/kubegate/engine"
)

// rl builds a ResourceList from name, quantity pairs.
func rl(kv ...string) corev1.ResourceList {
	l := corev1.ResourceList{}
	for i := 0; i+1 < len(kv); i += 2 {
		l[corev1.ResourceName(kv[i])] = resource.MustParse(kv[i+1])
	}
	return l
}

func ctr(name string, requests, limits corev1.ResourceList) corev1.Container {
	return corev1.Container{Name: name, Resources: corev1.ResourceRequirements{Requests: requests, Limits: limits}}
}

// TestQOSClass covers the edges of engine.QOSClass (the kubelet's
// algorithm with API-server defaulting). It lives here because engine/
// belongs to another owner; the rules depend on it.
func TestQOSClass(t *testing.T) {
	tests := []struct {
		name string
		spec corev1.PodSpec
		want corev1.PodQOSClass
	}{
		{
			name: "nothing set",
			spec: corev1.PodSpec{Containers: []corev1.Container{ctr("app", nil, nil)}},
			want: corev1.PodQOSBestEffort,
		},
		{
			name: "no containers",
			spec: corev1.PodSpec{},
			want: corev1.PodQOSBestEffort,
		},
		{
			name: "limits only: requests default to limits",
			spec: corev1.PodSpec{Containers: []corev1.Container{ctr("app", nil, rl("cpu", "500m", "memory", "256Mi"))}},
			want: corev1.PodQOSGuaranteed,
		},
		{
			name: "requests equal limits in every container and init container",
			spec: corev1.PodSpec{
				InitContainers: []corev1.Container{ctr("init", rl("cpu", "100m", "memory", "64Mi"), rl("cpu", "0.1", "memory", "64Mi"))},
				Containers: []corev1.Container{
					ctr("app", rl("cpu", "1", "memory", "1Gi"), rl("cpu", "1000m", "memory", "1024Mi")),
					ctr("proxy", rl("cpu", "200m", "memory", "128Mi"), rl("cpu", "200m", "memory", "128Mi")),
				},
			},
			want: corev1.PodQOSGuaranteed,
		},
		{
			name: "init container without limits breaks Guaranteed",
			spec: corev1.PodSpec{
				InitContainers: []corev1.Container{ctr("init", nil, nil)},
				Containers:     []corev1.Container{ctr("app", nil, rl("cpu", "1", "memory", "1Gi"))},
			},
			want: corev1.PodQOSBurstable,
		},
		{
			name: "one container missing a cpu limit",
			spec: corev1.PodSpec{Containers: []corev1.Container{
				ctr("app", nil, rl("cpu", "1", "memory", "1Gi")),
				ctr("proxy", nil, rl("memory", "128Mi")),
			}},
			want: corev1.PodQOSBurstable,
		},
		{
			name: "request below limit",
			spec: corev1.PodSpec{Containers: []corev1.Container{ctr("app", rl("cpu", "500m"), rl("cpu", "1", "memory", "1Gi"))}},
			want: corev1.PodQOSBurstable,
		},
		{
			name: "requests only",
			spec: corev1.PodSpec{Containers: []corev1.Container{ctr("app", rl("memory", "64Mi"), nil)}},
			want: corev1.PodQOSBurstable,
		},
		{
			name: "zero quantities are ignored",
			spec: corev1.PodSpec{Containers: []corev1.Container{ctr("app", rl("cpu", "0", "memory", "0"), rl("cpu", "0", "memory", "0"))}},
			want: corev1.PodQOSBestEffort,
		},
		{
			name: "zero request with a limit: the zero request does not count",
			spec: corev1.PodSpec{Containers: []corev1.Container{ctr("app", rl("cpu", "0"), rl("cpu", "1", "memory", "1Gi"))}},
			want: corev1.PodQOSBurstable,
		},
		{
			name: "ephemeral-storage only is BestEffort",
			spec: corev1.PodSpec{Containers: []corev1.Container{ctr("app", rl("ephemeral-storage", "1Gi"), rl("ephemeral-storage", "2Gi"))}},
			want: corev1.PodQOSBestEffort,
		},
		{
			name: "extended resources do not break Guaranteed",
			spec: corev1.PodSpec{Containers: []corev1.Container{ctr("app", nil, rl("cpu", "1", "memory", "1Gi", "nvidia.com/gpu", "1", "ephemeral-storage", "1Gi"))}},
			want: corev1.PodQOSGuaranteed,
		},
		{
			name: "pod-level limits decide alone: Guaranteed over BestEffort containers",
			spec: corev1.PodSpec{
				Resources:  &corev1.ResourceRequirements{Limits: rl("cpu", "2", "memory", "2Gi")},
				Containers: []corev1.Container{ctr("app", nil, nil)},
			},
			want: corev1.PodQOSGuaranteed,
		},
		{
			name: "pod-level requests below limits",
			spec: corev1.PodSpec{
				Resources:  &corev1.ResourceRequirements{Requests: rl("cpu", "1", "memory", "1Gi"), Limits: rl("cpu", "2", "memory", "2Gi")},
				Containers: []corev1.Container{ctr("app", nil, rl("cpu", "1", "memory", "1Gi"))},
			},
			want: corev1.PodQOSBurstable,
		},
		{
			name: "pod-level requests only",
			spec: corev1.PodSpec{
				Resources:  &corev1.ResourceRequirements{Requests: rl("memory", "1Gi")},
				Containers: []corev1.Container{ctr("app", nil, nil)},
			},
			want: corev1.PodQOSBurstable,
		},
		{
			name: "empty pod-level resources fall back to the containers",
			spec: corev1.PodSpec{
				Resources:  &corev1.ResourceRequirements{},
				Containers: []corev1.Container{ctr("app", nil, rl("cpu", "1", "memory", "1Gi"))},
			},
			want: corev1.PodQOSGuaranteed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := engine.QOSClass(&tt.spec); got != tt.want {
				t.Errorf("QOSClass = %s, want %s", got, tt.want)
			}
		})
	}
}
