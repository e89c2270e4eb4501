package schema

import (
	"reflect"
	"strings"

	"k8s.io/apimachinery/pkg/runtime/schema"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
)

// APILifecycle is the deprecation and removal of one built-in API: a kind
// in one group version.
type APILifecycle struct {
	APIVersion string // group/version as manifests write it
	Kind       string
	// DeprecatedIn is the release from which the API server warns that the
	// API is deprecated; zero when it never was.
	DeprecatedIn Version
	// RemovedIn is the release that no longer serves it; zero when it is
	// still served.
	RemovedIn Version
	// Replacement is the apiVersion to use instead (with the kind when it
	// differs); empty when there is none.
	Replacement string
	// Note says what else changes in the move, if anything.
	Note string
}

// Removed reports whether the API is no longer served in release v.
func (l APILifecycle) Removed(v Version) bool {
	return !l.RemovedIn.IsZero() && !v.Less(l.RemovedIn)
}

// Deprecated reports whether the API is deprecated, and still served, in
// release v.
func (l APILifecycle) Deprecated(v Version) bool {
	return !l.DeprecatedIn.IsZero() && !v.Less(l.DeprecatedIn) && !l.Removed(v)
}

// LifecycleIndex knows the lifecycle of every built-in API that was ever
// deprecated or removed.
type LifecycleIndex struct {
	m map[apiKind]APILifecycle
}

type apiKind struct{ apiVersion, kind string }

// prereleaseLifecycle is what k8s.io/api generates for beta and alpha
// types (zz_generated.prerelease-lifecycle.go); the API server itself uses
// it to warn about and stop serving them.
type prereleaseLifecycle interface {
	APILifecycleDeprecated() (major, minor int)
	APILifecycleRemoved() (major, minor int)
}

type prereleaseReplacement interface {
	APILifecycleReplacement() schema.GroupVersionKind
}

// NewLifecycleIndex builds the index: from the lifecycle k8s.io/api
// generates for every type it still has, and from a hand-kept table for
// the APIs whose types are gone from k8s.io/api.
func NewLifecycleIndex() *LifecycleIndex {
	x := &LifecycleIndex{m: map[apiKind]APILifecycle{}}
	for gvk, t := range clientgoscheme.Scheme.AllKnownTypes() {
		if strings.HasSuffix(gvk.Kind, "List") || gvk.Version == "__internal" {
			continue
		}
		l, ok := generatedLifecycle(gvk, t)
		if !ok {
			continue
		}
		l.Note = notes[apiKind{l.APIVersion, l.Kind}]
		x.m[apiKind{l.APIVersion, l.Kind}] = l
	}
	for _, l := range vanished() {
		k := apiKind{l.APIVersion, l.Kind}
		if _, dup := x.m[k]; !dup {
			l.Note = notes[k]
			x.m[k] = l
		}
	}
	return x
}

func generatedLifecycle(gvk schema.GroupVersionKind, t reflect.Type) (APILifecycle, bool) {
	obj := reflect.New(t).Interface()
	pl, ok := obj.(prereleaseLifecycle)
	if !ok {
		return APILifecycle{}, false
	}
	l := APILifecycle{APIVersion: gvk.GroupVersion().String(), Kind: gvk.Kind}
	if major, minor := pl.APILifecycleDeprecated(); major > 0 {
		l.DeprecatedIn = Version{Major: major, Minor: minor}
	}
	if major, minor := pl.APILifecycleRemoved(); major > 0 {
		l.RemovedIn = Version{Major: major, Minor: minor}
	}
	if r, ok := obj.(prereleaseReplacement); ok {
		if rep := r.APILifecycleReplacement(); !rep.Empty() {
			l.Replacement = rep.GroupVersion().String()
			if rep.Kind != gvk.Kind {
				l.Replacement += " " + rep.Kind
			}
		}
	}
	if l.DeprecatedIn.IsZero() && l.RemovedIn.IsZero() {
		return APILifecycle{}, false
	}
	return l, true
}

// Lookup returns the lifecycle of apiVersion and kind, when the API was
// ever deprecated or removed.
func (x *LifecycleIndex) Lookup(apiVersion, kind string) (APILifecycle, bool) {
	l, ok := x.m[apiKind{apiVersion, kind}]
	return l, ok
}

func v1(minor int) Version { return Version{Major: 1, Minor: minor} }

// vanished lists the deprecated and removed built-in APIs whose Go types
// k8s.io/api no longer has, from the Kubernetes deprecated API migration
// guide and release notes, plus GA APIs deprecated without a removal date
// (GA types carry no generated lifecycle).
func vanished() []APILifecycle {
	return []APILifecycle{
		{APIVersion: "apps/v1beta1", Kind: "ReplicaSet", DeprecatedIn: v1(8), RemovedIn: v1(16), Replacement: "apps/v1"},
		{APIVersion: "extensions/v1beta1", Kind: "PodSecurityPolicy", DeprecatedIn: v1(10), RemovedIn: v1(16), Replacement: "policy/v1beta1"},
		{APIVersion: "scheduling.k8s.io/v1alpha1", Kind: "PriorityClass", DeprecatedIn: v1(14), RemovedIn: v1(17), Replacement: "scheduling.k8s.io/v1"},
		{APIVersion: "apiextensions.k8s.io/v1beta1", Kind: "CustomResourceDefinition", DeprecatedIn: v1(16), RemovedIn: v1(22), Replacement: "apiextensions.k8s.io/v1"},
		{APIVersion: "apiregistration.k8s.io/v1beta1", Kind: "APIService", DeprecatedIn: v1(19), RemovedIn: v1(22), Replacement: "apiregistration.k8s.io/v1"},
		{APIVersion: "rbac.authorization.k8s.io/v1alpha1", Kind: "ClusterRole", DeprecatedIn: v1(17), RemovedIn: v1(22), Replacement: "rbac.authorization.k8s.io/v1"},
		{APIVersion: "rbac.authorization.k8s.io/v1alpha1", Kind: "ClusterRoleBinding", DeprecatedIn: v1(17), RemovedIn: v1(22), Replacement: "rbac.authorization.k8s.io/v1"},
		{APIVersion: "rbac.authorization.k8s.io/v1alpha1", Kind: "Role", DeprecatedIn: v1(17), RemovedIn: v1(22), Replacement: "rbac.authorization.k8s.io/v1"},
		{APIVersion: "rbac.authorization.k8s.io/v1alpha1", Kind: "RoleBinding", DeprecatedIn: v1(17), RemovedIn: v1(22), Replacement: "rbac.authorization.k8s.io/v1"},
		{APIVersion: "autoscaling/v2beta1", Kind: "HorizontalPodAutoscaler", DeprecatedIn: v1(22), RemovedIn: v1(25), Replacement: "autoscaling/v2"},
		{APIVersion: "policy/v1beta1", Kind: "PodSecurityPolicy", DeprecatedIn: v1(21), RemovedIn: v1(25)},
		{APIVersion: "autoscaling/v2beta2", Kind: "HorizontalPodAutoscaler", DeprecatedIn: v1(23), RemovedIn: v1(26), Replacement: "autoscaling/v2"},
		{APIVersion: "v1", Kind: "Endpoints", DeprecatedIn: v1(33), Replacement: "discovery.k8s.io/v1 EndpointSlice"},
	}
}

// notes say what changes beyond the apiVersion when moving off an API.
var notes = map[apiKind]string{
	{"extensions/v1beta1", "Ingress"}:                                          "serviceName and servicePort become service.name and service.port.number or service.port.name; pathType is required; spec.backend is spec.defaultBackend",
	{"networking.k8s.io/v1beta1", "Ingress"}:                                   "serviceName and servicePort become service.name and service.port.number or service.port.name; pathType is required; spec.backend is spec.defaultBackend",
	{"extensions/v1beta1", "Deployment"}:                                       "spec.selector is required and immutable",
	{"apps/v1beta1", "Deployment"}:                                             "spec.selector is required and immutable",
	{"apps/v1beta2", "Deployment"}:                                             "spec.selector is required and immutable",
	{"extensions/v1beta1", "DaemonSet"}:                                        "spec.selector is required; the default updateStrategy is RollingUpdate",
	{"apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"}:               "each version needs a structural schema.openAPIV3Schema; validation, subresources and additionalPrinterColumns move into spec.versions[*]",
	{"admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"}: "admissionReviewVersions and sideEffects are required; failurePolicy defaults to Fail",
	{"admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration"}:   "admissionReviewVersions and sideEffects are required; failurePolicy defaults to Fail",
	{"policy/v1beta1", "PodSecurityPolicy"}:                                    "there is no successor API: use Pod Security Admission (namespace labels) or a policy engine",
	{"policy/v1beta1", "PodDisruptionBudget"}:                                  "an empty spec.selector selects every pod of the namespace in policy/v1",
	{"autoscaling/v2beta1", "HorizontalPodAutoscaler"}:                         "metric targets move under target: targetAverageUtilization becomes target.averageUtilization",
	{"certificates.k8s.io/v1beta1", "CertificateSigningRequest"}:               "spec.signerName is required",
}
