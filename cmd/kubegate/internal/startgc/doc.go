// Package startgc makes the garbage collector run less often while the
// kubegate process starts. main imports it for that effect alone.
//
// Package initialisation allocates some tens of megabytes before main runs
// (client-go's scheme of every built-in type, the JSON Schema libraries'
// meta-schemas that kubegate's validator and Helm's link, OPA's builtins).
// At the default GOGC of 100 the heap's 4 MB floor makes the collector run
// again and again over that; measured with hyperfine, `kubegate version`
// takes about 10 ms longer at GOGC=100 than at 400, a fifth of a
// single-file lint. Go initialises packages in import-path order among
// those whose imports are ready, so this package, which imports only the
// runtime's own, runs before the large ones (github.com/kubegate sorts
// before github.com/open-policy-agent, github.com/santhosh-tekuri,
// helm.sh, k8s.io and sigs.k8s.io).
//
// The start is all it tunes: cli.Run puts GOGC back to its default, and
// lint raises it again only for a small input (cli/gc.go). A GOGC set in
// the environment is the user's choice and is left alone throughout.
package startgc
