package engine

import (
	appsv1 "k8s.io/api/apps/v1"
	appsv1beta1 "k8s.io/api/apps/v1beta1"
	appsv1beta2 "k8s.io/api/apps/v1beta2"
	batchv1 "k8s.io/api/batch/v1"
	batchv1beta1 "k8s.io/api/batch/v1beta1"
	corev1 "k8s.io/api/core/v1"
	extensionsv1beta1 "k8s.io/api/extensions/v1beta1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// WorkloadClass says how the controller that owns a pod template runs it.
type WorkloadClass int

const (
	// NotWorkload is an object with no pod template.
	NotWorkload WorkloadClass = iota
	// LongRunning pods are restarted forever: Deployments, StatefulSets,
	// DaemonSets, ReplicaSets, ReplicationControllers, and bare Pods whose
	// restartPolicy is Always (the default).
	LongRunning
	// Batch pods run to completion: Jobs, CronJobs, and bare Pods whose
	// restartPolicy is OnFailure or Never.
	Batch
	// Template is a PodTemplate object, used by nothing in particular.
	Template
)

// PodSpecRef is the pod spec inside a workload and where it lives.
type PodSpecRef struct {
	Spec *corev1.PodSpec
	// Meta is the pod template's metadata (the Pod's own for a Pod).
	Meta *metav1.ObjectMeta
	// Path is the field path of Spec: "spec" for a Pod,
	// "spec.template.spec" for a Deployment,
	// "spec.jobTemplate.spec.template.spec" for a CronJob.
	Path Path
	// MetaPath is the field path of Meta.
	MetaPath Path
	Class    WorkloadClass
}

// podPaths are where a pod spec and its metadata sit in one shape of
// object. They are built once: rules ask for them for every object, and
// Path's methods copy, so sharing them is safe.
type podPaths struct{ spec, meta Path }

func templatePaths(template ...any) podPaths {
	t := NewPath(template...)
	return podPaths{spec: t.Child("spec"), meta: t.Child("metadata")}
}

var (
	podOwnPaths      = podPaths{spec: NewPath("spec"), meta: NewPath("metadata")}
	podTemplatePaths = templatePaths("template")
	workloadPaths    = templatePaths("spec", "template")
	jobTemplatePaths = templatePaths("spec", "jobTemplate", "spec", "template")
)

// PodPaths returns, for a kind that carries a pod spec (by kind name, in
// any API version), the field paths of the pod spec and of the metadata
// that goes with it: the object's own for a Pod, the template's otherwise.
// Rules that read Raw use it; PodSpecOf gives the same paths with the
// typed object.
func PodPaths(kind string) (spec, meta Path, ok bool) {
	var pp podPaths
	switch kind {
	case "Pod":
		pp = podOwnPaths
	case "PodTemplate":
		pp = podTemplatePaths
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job":
		pp = workloadPaths
	case "CronJob":
		pp = jobTemplatePaths
	default:
		return nil, nil, false
	}
	return pp.spec, pp.meta, true
}

func templateRef(t *corev1.PodTemplateSpec, pp podPaths, class WorkloadClass) (PodSpecRef, bool) {
	if t == nil {
		return PodSpecRef{}, false
	}
	return PodSpecRef{Spec: &t.Spec, Meta: &t.ObjectMeta, Path: pp.spec, MetaPath: pp.meta, Class: class}, true
}

// PodSpecOf returns the pod spec of any built-in workload, in every API
// version k8s.io/api still has, so rules about pods are written once.
func PodSpecOf(obj *Object) (PodSpecRef, bool) {
	switch t := obj.TypedObject().(type) {
	case *corev1.Pod:
		class := LongRunning
		if t.Spec.RestartPolicy == corev1.RestartPolicyOnFailure || t.Spec.RestartPolicy == corev1.RestartPolicyNever {
			class = Batch
		}
		return PodSpecRef{Spec: &t.Spec, Meta: &t.ObjectMeta, Path: podOwnPaths.spec, MetaPath: podOwnPaths.meta, Class: class}, true
	case *corev1.PodTemplate:
		return templateRef(&t.Template, podTemplatePaths, Template)
	case *corev1.ReplicationController:
		return templateRef(t.Spec.Template, workloadPaths, LongRunning)
	case *appsv1.Deployment:
		return templateRef(&t.Spec.Template, workloadPaths, LongRunning)
	case *appsv1.StatefulSet:
		return templateRef(&t.Spec.Template, workloadPaths, LongRunning)
	case *appsv1.DaemonSet:
		return templateRef(&t.Spec.Template, workloadPaths, LongRunning)
	case *appsv1.ReplicaSet:
		return templateRef(&t.Spec.Template, workloadPaths, LongRunning)
	case *appsv1beta1.Deployment:
		return templateRef(&t.Spec.Template, workloadPaths, LongRunning)
	case *appsv1beta1.StatefulSet:
		return templateRef(&t.Spec.Template, workloadPaths, LongRunning)
	case *appsv1beta2.Deployment:
		return templateRef(&t.Spec.Template, workloadPaths, LongRunning)
	case *appsv1beta2.StatefulSet:
		return templateRef(&t.Spec.Template, workloadPaths, LongRunning)
	case *appsv1beta2.DaemonSet:
		return templateRef(&t.Spec.Template, workloadPaths, LongRunning)
	case *appsv1beta2.ReplicaSet:
		return templateRef(&t.Spec.Template, workloadPaths, LongRunning)
	case *extensionsv1beta1.Deployment:
		return templateRef(&t.Spec.Template, workloadPaths, LongRunning)
	case *extensionsv1beta1.DaemonSet:
		return templateRef(&t.Spec.Template, workloadPaths, LongRunning)
	case *extensionsv1beta1.ReplicaSet:
		return templateRef(&t.Spec.Template, workloadPaths, LongRunning)
	case *batchv1.Job:
		return templateRef(&t.Spec.Template, workloadPaths, Batch)
	case *batchv1.CronJob:
		return templateRef(&t.Spec.JobTemplate.Spec.Template, jobTemplatePaths, Batch)
	case *batchv1beta1.CronJob:
		return templateRef(&t.Spec.JobTemplate.Spec.Template, jobTemplatePaths, Batch)
	}
	return PodSpecRef{}, false
}

// ContainerRef is one container of a pod spec and its path.
type ContainerRef struct {
	Container *corev1.Container
	Path      Path
	// Init is set for init containers (including restartable sidecars).
	Init bool
}

// Containers returns the init containers, then the containers, of ref.
// Ephemeral containers are left out: manifests never carry them.
func (ref PodSpecRef) Containers() []ContainerRef {
	out := make([]ContainerRef, 0, len(ref.Spec.InitContainers)+len(ref.Spec.Containers))
	for i := range ref.Spec.InitContainers {
		out = append(out, ContainerRef{Container: &ref.Spec.InitContainers[i], Path: ref.Path.Child("initContainers").Index(i), Init: true})
	}
	for i := range ref.Spec.Containers {
		out = append(out, ContainerRef{Container: &ref.Spec.Containers[i], Path: ref.Path.Child("containers").Index(i)})
	}
	return out
}

// IsSidecar reports whether an init container is a restartable sidecar
// (restartPolicy: Always), which runs for the pod's lifetime and may have
// probes.
func (c ContainerRef) IsSidecar() bool {
	return c.Init && c.Container.RestartPolicy != nil && *c.Container.RestartPolicy == corev1.ContainerRestartPolicyAlways
}
