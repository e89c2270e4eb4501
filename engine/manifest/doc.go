// Package manifest turns bytes into engine.Objects that remember where every
// field came from.
//
// It reads files, directories (recursively: .yaml, .yml, .json) and stdin,
// handing Helm charts and Kustomize directories to a Renderer when it has
// one (package engine/render); splits multi-document streams; expands List
// kinds; follows Helm's "# Source:" comments; and decodes built-in kinds
// into their k8s.io/api types, recording unknown fields as problems located
// at the unknown key.
//
// Each document is read by one of two parsers into the same result: the
// object's values and a small position tree (where every key, sequence
// item and collection starts and ends, so that a finding covers its field
// as a region). The fast parser (fastyaml.go) reads the block style
// nearly every manifest is written in, in one pass with few allocations;
// on anything outside it (anchors, tags, folded scalars, escapes, errors) it
// gives up, and the goyaml.v3 node API (go.yaml.in/yaml/v3, which
// sigs.k8s.io/yaml/goyaml.v3 forwards to) reads the document instead and
// words any error; goyaml's nodes record only where they start, so that path
// finds ends in the source text (ends.go). A test and a fuzz target hold
// the fast parser to goyaml's values and positions, ends included. Scalars resolve the way kubectl's
// sigs.k8s.io/yaml does (YAML 1.1: yes/no/on/off are booleans), because
// that is what reaches the API server.
//
// Bad input never panics and never stops the run: each problem becomes an
// *engine.FileError naming file:line:col, and the other documents and files
// are still read. Limits (file size, nesting depth, alias expansion) keep
// memory bounded whatever the input.
package manifest
