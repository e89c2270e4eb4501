package schema

// The embedded schemas under data/ come from the published OpenAPI v3
// documents of k8s.io/kubernetes; regenerate them with `go generate ./schema`.
//go:generate go run ./internal/gen -out data
