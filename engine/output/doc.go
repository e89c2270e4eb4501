// Package output renders a lint run: text for people and terminals, JSON as
// a documented, stable contract for tools (docs/output.md), GitHub workflow
// commands for annotations in Actions, SARIF for code scanning, and JUnit
// XML and TAP for CI test reporters. One file per format; every format
// reads the same Report.
package output
