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

var (
	pathSpec        = NewPath("spec")
	pathTemplate    = NewPath("spec", "template")
	pathJobTemplate = NewPath("spec", "jobTemplate", "spec", "template")
)

// PodPaths returns, for a kind that carries a pod spec (by kind name, in
// any API version), the field paths of the pod spec and of the metadata
// that goes with it: the object's own for a Pod, the template's otherwise.
// Rules that read Raw use it; PodSpecOf gives the same paths with the
// typed object.
func PodPaths(kind string) (spec, meta Path, ok bool) {
	var template Path
	switch kind {
	case "Pod":
		return pathSpec, NewPath("metadata"), true
	case "PodTemplate":
		template = NewPath("template")
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job":
		template = pathTemplate
	case "CronJob":
		template = pathJobTemplate
	default:
		return nil, nil, false
	}
	return template.Child("spec"), template.Child("metadata"), true
}

func templateRef(t *corev1.PodTemplateSpec, at Path, class WorkloadClass) (PodSpecRef, bool) {
	if t == nil {
		return PodSpecRef{}, false
	}
	return PodSpecRef{Spec: &t.Spec, Meta: &t.ObjectMeta, Path: at.Child("spec"), MetaPath: at.Child("metadata"), Class: class}, true
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
		return PodSpecRef{Spec: &t.Spec, Meta: &t.ObjectMeta, Path: pathSpec, MetaPath: NewPath("metadata"), Class: class}, true
	case *corev1.PodTemplate:
		return templateRef(&t.Template, NewPath("template"), Template)
	case *corev1.ReplicationController:
		return templateRef(t.Spec.Template, pathTemplate, LongRunning)
	case *appsv1.Deployment:
		return templateRef(&t.Spec.Template, pathTemplate, LongRunning)
	case *appsv1.StatefulSet:
		return templateRef(&t.Spec.Template, pathTemplate, LongRunning)
	case *appsv1.DaemonSet:
		return templateRef(&t.Spec.Template, pathTemplate, LongRunning)
	case *appsv1.ReplicaSet:
		return templateRef(&t.Spec.Template, pathTemplate, LongRunning)
	case *appsv1beta1.Deployment:
		return templateRef(&t.Spec.Template, pathTemplate, LongRunning)
	case *appsv1beta1.StatefulSet:
		return templateRef(&t.Spec.Template, pathTemplate, LongRunning)
	case *appsv1beta2.Deployment:
		return templateRef(&t.Spec.Template, pathTemplate, LongRunning)
	case *appsv1beta2.StatefulSet:
		return templateRef(&t.Spec.Template, pathTemplate, LongRunning)
	case *appsv1beta2.DaemonSet:
		return templateRef(&t.Spec.Template, pathTemplate, LongRunning)
	case *appsv1beta2.ReplicaSet:
		return templateRef(&t.Spec.Template, pathTemplate, LongRunning)
	case *extensionsv1beta1.Deployment:
		return templateRef(&t.Spec.Template, pathTemplate, LongRunning)
	case *extensionsv1beta1.DaemonSet:
		return templateRef(&t.Spec.Template, pathTemplate, LongRunning)
	case *extensionsv1beta1.ReplicaSet:
		return templateRef(&t.Spec.Template, pathTemplate, LongRunning)
	case *batchv1.Job:
		return templateRef(&t.Spec.Template, pathTemplate, Batch)
	case *batchv1.CronJob:
		return templateRef(&t.Spec.JobTemplate.Spec.Template, pathJobTemplate, Batch)
	case *batchv1beta1.CronJob:
		return templateRef(&t.Spec.JobTemplate.Spec.Template, pathJobTemplate, Batch)
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
