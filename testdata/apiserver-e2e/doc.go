// Package apiservere2e checks kubegate's API-server fidelity against a real
// kube-apiserver: every manifest of the corpus is created (dry run, strict
// field validation) on an in-process kube-apiserver with an embedded etcd,
// and what the server rejects must be an error finding of kubegate at the
// same field, while what it accepts must draw no error from the rules that
// claim the API server's behaviour. It is a separate module because
// kubegate's own go.mod must never require k8s.io/kubernetes; it lives
// under testdata so that `go test ./...` in the main module skips it.
// .ci/run runs it.
package apiservere2e
