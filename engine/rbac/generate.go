package rbac

// The built-in roles and bindings under data/ are the bootstrap policy of
// the kube-apiserver, as k8s.io/kubernetes records it in
// plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata; regenerate
// them with `go generate ./engine/rbac`.
//go:generate go run ./internal/gen -out data
