package engine

import (
	"sync"

	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
)

// GVK is a group, version and kind, as apimachinery spells it.
type GVK = schema.GroupVersionKind

// GroupKind is a group and kind: the identity of a resource whatever version
// a manifest was written in.
type GroupKind = schema.GroupKind

// Source says where an object came from.
type Source struct {
	// File is the name findings report: the path as given on the command
	// line, "<stdin>", or the template a Helm "# Source:" comment names.
	File string `json:"file"`
	// Line and Column are those of the object's first key.
	Line   int `json:"line"`
	Column int `json:"column"`
	// Origin is the file actually read when File names a Helm template:
	// the stream with "# Source:" comments, or the chart or kustomization a
	// renderer built the object from (package engine/render).
	Origin string `json:"origin,omitempty"`
	// Document is the 0-based index of the YAML document in the file.
	Document int `json:"document"`
}

// Locator resolves a field path to a position in the object's source. An
// object without a source (decoded from an AdmissionReview, say) has none.
type Locator interface {
	// Locate returns the line and column of the deepest node along path that
	// exists, and whether that node is the one path names. A missing field
	// resolves to its nearest existing parent.
	Locate(path Path) (line, column int, exact bool)
}

// Region is a span of a source file: from the first character of a field's
// key (or of a sequence item) to the end of its value. Lines and columns
// are 1-based and count characters (Unicode code points); EndColumn is
// exclusive, the column just after the last character.
type Region struct {
	Line, Column, EndLine, EndColumn int
}

// RegionLocator is a Locator that also knows where fields end: the
// manifest parser's. Object.Locate uses it when the locator has it, so
// other Locators (a Helm render's, say) need not.
type RegionLocator interface {
	Locator
	// LocateRegion returns the region of the deepest node along path that
	// exists, and whether that node is the one path names. A missing field
	// resolves to the whole region of its nearest existing parent: the
	// finding is about something that parent lacks.
	LocateRegion(path Path) (r Region, exact bool)
}

// FileLocator is a Locator whose positions may lie in another file than
// the object's Source.File: a field a Kustomize patch set is in the patch.
type FileLocator interface {
	Locator
	// LocateFile is Locate, with the file the position is in.
	LocateFile(path Path) (file string, line, column int, exact bool)
}

// FieldProblem is something wrong with one field that decoding found: a
// value of the wrong type for the Go type of a built-in kind. (The schema
// rule reports these, and unknown fields, from the release's schema.)
type FieldProblem struct {
	Path    Path
	Message string
}

// Object is one Kubernetes object from any input.
type Object struct {
	APIVersion string
	Kind       string
	GVK        GVK
	Namespace  string // as written; see EffectiveNamespace
	Name       string
	Labels     map[string]string

	// Raw is the object as JSON-compatible Go values (map[string]any,
	// []any, string, int64, float64, bool, nil), what Rego sees as input.
	Raw map[string]any
	// Typed is the k8s.io/api struct for built-in kinds (*corev1.Pod,
	// *appsv1.Deployment, ...) and nil for kinds the scheme does not know.
	// Readers call TypedObject, which decodes it on first use when the
	// producer deferred that (SetTypedDecoder).
	Typed runtime.Object

	Source  Source
	Locator Locator
	// Problems are field problems found while decoding Raw into Typed.
	Problems []FieldProblem

	cache      sync.Map
	typedOnce  sync.Once
	decodeLazy func(*Object)
}

// SetTypedDecoder defers decoding Typed to the first TypedObject call: a
// run of the schema rule alone never needs typed objects, and decoding is a
// sixth of parsing.
func (o *Object) SetTypedDecoder(decode func(*Object)) { o.decodeLazy = decode }

// TypedObject returns Typed, decoding it first if that was deferred. It is
// safe for concurrent use.
func (o *Object) TypedObject() runtime.Object {
	o.typedOnce.Do(func() {
		if o.Typed == nil && o.decodeLazy != nil {
			o.decodeLazy(o)
		}
	})
	return o.Typed
}

// ObjectRef names an object in findings and reports.
type ObjectRef struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
}

// Ref returns the object's reference.
func (o *Object) Ref() ObjectRef {
	return ObjectRef{APIVersion: o.APIVersion, Kind: o.Kind, Namespace: o.Namespace, Name: o.Name}
}

// GroupKind returns the object's group and kind.
func (o *Object) GroupKind() GroupKind { return o.GVK.GroupKind() }

// EffectiveNamespace is the namespace the object would land in: as written,
// or "default" for a namespaced kind that names none (what kubectl does with
// a context that sets no namespace), or "" for cluster-scoped kinds.
func (o *Object) EffectiveNamespace() string {
	if IsClusterScoped(o.GroupKind()) {
		return ""
	}
	if o.Namespace == "" {
		return DefaultNamespace
	}
	return o.Namespace
}

// Locate resolves path to a Location in the object's source, with the
// field's end when the locator knows it, falling back to the object's own
// position when it has no locator.
func (o *Object) Locate(path Path) Location {
	loc := Location{File: o.Source.File, Line: o.Source.Line, Column: o.Source.Column}
	if fl, ok := o.Locator.(FileLocator); ok {
		// A Kustomize patch's field lies in the patch: the position's
		// file is not the object's, and no end is known there.
		if file, line, col, _ := fl.LocateFile(path); line > 0 {
			loc.File, loc.Line, loc.Column = file, line, col
		}
		return loc
	}
	switch l := o.Locator.(type) {
	case nil:
	case RegionLocator:
		if r, _ := l.LocateRegion(path); r.Line > 0 {
			loc.Line, loc.Column, loc.EndLine, loc.EndColumn = r.Line, r.Column, r.EndLine, r.EndColumn
		}
	default:
		if line, col, _ := l.Locate(path); line > 0 {
			loc.Line, loc.Column = line, col
		}
	}
	return loc
}

// Cached returns the value stored under key, computing it once with compute.
// Rules and rule engines (the Rego one stores the object's OPA value here)
// use it to share per-object work across rules; the engine package does not
// need to know their types. Concurrent callers may compute twice; the first
// stored value wins. The engine drops an object's cached values once it has
// checked the object, so they cost memory only while it is being checked.
func (o *Object) Cached(key any, compute func() any) any {
	if v, ok := o.cache.Load(key); ok {
		return v
	}
	v, _ := o.cache.LoadOrStore(key, compute())
	return v
}

// dropCached forgets every Cached value.
func (o *Object) dropCached() { o.cache.Clear() }

// DefaultNamespace is where a namespaced object without a namespace lands.
const DefaultNamespace = "default"

// clusterScoped lists the built-in cluster-scoped kinds (kubectl
// api-resources --namespaced=false). Custom resources are namespaced unless
// their CRD says otherwise, which the inventory learns from the CRD itself.
var clusterScoped = map[GroupKind]bool{
	{Group: "", Kind: "Namespace"}:                                                    true,
	{Group: "", Kind: "Node"}:                                                         true,
	{Group: "", Kind: "PersistentVolume"}:                                             true,
	{Group: "", Kind: "ComponentStatus"}:                                              true,
	{Group: "rbac.authorization.k8s.io", Kind: "ClusterRole"}:                         true,
	{Group: "rbac.authorization.k8s.io", Kind: "ClusterRoleBinding"}:                  true,
	{Group: "storage.k8s.io", Kind: "StorageClass"}:                                   true,
	{Group: "storage.k8s.io", Kind: "CSIDriver"}:                                      true,
	{Group: "storage.k8s.io", Kind: "CSINode"}:                                        true,
	{Group: "storage.k8s.io", Kind: "VolumeAttachment"}:                               true,
	{Group: "storage.k8s.io", Kind: "VolumeAttributesClass"}:                          true,
	{Group: "apiextensions.k8s.io", Kind: "CustomResourceDefinition"}:                 true,
	{Group: "apiregistration.k8s.io", Kind: "APIService"}:                             true,
	{Group: "scheduling.k8s.io", Kind: "PriorityClass"}:                               true,
	{Group: "networking.k8s.io", Kind: "IngressClass"}:                                true,
	{Group: "networking.k8s.io", Kind: "IPAddress"}:                                   true,
	{Group: "networking.k8s.io", Kind: "ServiceCIDR"}:                                 true,
	{Group: "node.k8s.io", Kind: "RuntimeClass"}:                                      true,
	{Group: "admissionregistration.k8s.io", Kind: "ValidatingWebhookConfiguration"}:   true,
	{Group: "admissionregistration.k8s.io", Kind: "MutatingWebhookConfiguration"}:     true,
	{Group: "admissionregistration.k8s.io", Kind: "ValidatingAdmissionPolicy"}:        true,
	{Group: "admissionregistration.k8s.io", Kind: "ValidatingAdmissionPolicyBinding"}: true,
	{Group: "admissionregistration.k8s.io", Kind: "MutatingAdmissionPolicy"}:          true,
	{Group: "admissionregistration.k8s.io", Kind: "MutatingAdmissionPolicyBinding"}:   true,
	{Group: "certificates.k8s.io", Kind: "CertificateSigningRequest"}:                 true,
	{Group: "certificates.k8s.io", Kind: "ClusterTrustBundle"}:                        true,
	{Group: "flowcontrol.apiserver.k8s.io", Kind: "FlowSchema"}:                       true,
	{Group: "flowcontrol.apiserver.k8s.io", Kind: "PriorityLevelConfiguration"}:       true,
	{Group: "resource.k8s.io", Kind: "DeviceClass"}:                                   true,
	{Group: "resource.k8s.io", Kind: "ResourceSlice"}:                                 true,
	{Group: "internal.apiserver.k8s.io", Kind: "StorageVersion"}:                      true,
	{Group: "authentication.k8s.io", Kind: "TokenReview"}:                             true,
	{Group: "authentication.k8s.io", Kind: "SelfSubjectReview"}:                       true,
	{Group: "authorization.k8s.io", Kind: "SubjectAccessReview"}:                      true,
	{Group: "authorization.k8s.io", Kind: "SelfSubjectAccessReview"}:                  true,
	{Group: "authorization.k8s.io", Kind: "SelfSubjectRulesReview"}:                   true,
}

// IsClusterScoped reports whether a built-in kind is cluster-scoped.
func IsClusterScoped(gk GroupKind) bool { return clusterScoped[gk] }
