package manifest

import "github.com/kubegate/kubegate/engine"

// YAMLError locates an error of go.yaml.in/yaml/v3 about data, read from
// file, the way manifests' syntax errors are located: the line yaml names
// and the column of its first non-blank character, with the message
// cleaned of yaml's "line N:" prefixes. Other YAML files kubegate reads (its
// configuration) report their syntax errors through it.
func YAMLError(file string, data []byte, err error) *engine.FileError {
	msg, line, col := syntaxError(data, err)
	return fileErr(file, line, col, "%s", msg)
}
