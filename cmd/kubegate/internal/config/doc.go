// Package config reads kubegate's configuration file, .kubegate.yaml: found
// from the working directory upward or named with --config, decoded
// strictly (an unknown key, a wrong type or a bad value is an error at its
// file:line:col), and turned into what lint needs: rule selection, the
// paths to exclude, and the exemptions that suppress findings. The command
// line merges it with its flags; docs/config.md documents the keys, and is
// generated, like the file `kubegate config init` writes, from the
// comments on the Config type.
//
// Only the command line imports this package; the engine knows nothing of
// files, and gets exemptions as an engine.Suppressor.
package config
