// Package schema knows what the Kubernetes API accepts: which built-in
// APIs were deprecated and removed in which release (this file's table, the
// first part of issue 3), and later the embedded per-version JSON schemas,
// CRD schemas and strict validation. It imports no kubegate package, so
// every front door can use it.
package schema
