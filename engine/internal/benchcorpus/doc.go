// Package benchcorpus generates a large, deterministic, realistic stream of
// mixed Kubernetes manifests for benchmarks and for side-by-side runs with
// other tools: workloads with and without probes and resources, Services,
// ConfigMaps, Secrets, Ingresses, RBAC and custom resources, some with the
// mistakes kubegate finds.
//
// Its tests hold kubegate's throughput benchmarks: parse, rules and the
// whole lint pipeline over 10,000 mixed objects.
//
//	go test -run '^$' -bench . -benchmem ./engine/internal/benchcorpus/
package benchcorpus
