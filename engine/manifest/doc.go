// Package manifest turns bytes into engine.Objects that remember where every
// field came from.
//
// It reads files, directories (recursively: .yaml, .yml, .json) and stdin;
// splits multi-document streams; expands List kinds; follows Helm's
// "# Source:" comments; and decodes built-in kinds into their k8s.io/api
// types, recording unknown fields as problems located at the unknown key.
//
// Parsing uses the goyaml.v3 node API (go.yaml.in/yaml/v3, which
// sigs.k8s.io/yaml/goyaml.v3 forwards to), so every node keeps its line and
// column. Scalars resolve the way kubectl's sigs.k8s.io/yaml does (YAML 1.1:
// yes/no/on/off are booleans), because that is what reaches the API server.
//
// Bad input never panics and never stops the run: each problem becomes an
// *engine.FileError naming file:line:col, and the other documents and files
// are still read. Limits (file size, nesting depth, alias expansion) keep
// memory bounded whatever the input.
package manifest
