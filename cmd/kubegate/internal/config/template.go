package config

import _ "embed" // for the template

// template is the file `kubegate config init` writes: every key, commented,
// with its default. It is generated from the comments on Config (see
// config.go) and checked fresh by TestTemplateFresh.
//
//go:embed default.yaml
var template []byte

// Template returns the commented default configuration file.
func Template() []byte { return append([]byte(nil), template...) }
