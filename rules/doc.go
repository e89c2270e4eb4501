// Package rules holds kubegate's built-in rules: Go rules, one per file,
// and Rego rules embedded from rego/. Builtin lists them all explicitly; no
// rule registers itself.
package rules
