// Package render builds the inputs that make manifests rather than being
// them, for the manifest Loader: Helm charts (a directory with Chart.yaml,
// or a chart archive) are rendered in process as `helm template` renders
// them, offline, with helm.sh/helm/v4; Kustomize directories are built
// with sigs.k8s.io/kustomize/api's krusty, offline and restricted to the
// directory as kustomize restricts it by default.
//
// Objects point at the files the user wrote, never at a line that did not
// write them: a chart's at the template line that produced each field (see
// helmpos.go), a kustomization's at the resource file, or the patch, that
// holds each field as it was built (see kustpos.go). Where no such line
// can be told, a finding falls back to the nearest field above it that has
// one, then to the object, then to the file alone.
//
// Loading, rendering or building failures are *engine.FileErrors at the
// template, Chart.yaml or kustomization line they concern; the rest of the
// run goes on.
//
// Two side effects of linking Helm and kustomize, for whoever embeds this
// package: Helm's chart/common registers the apiextensions.k8s.io types
// (CustomResourceDefinition v1 and v1beta1) in client-go's global scheme in
// its init(), so in a binary with this package engine/manifest decodes
// CRDs into typed objects too; and kustomize prints its deprecation
// warnings ("# Warning: 'bases' is deprecated ...") to os.Stderr itself.
package render
