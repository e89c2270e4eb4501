// Package policy is the only package that imports OPA. It loads Rego
// policies (kubegate's built-in ones, embedded from rules/rego, and users'
// --policy directories), compiles them in strict mode (users' policies when
// loaded, so their errors come first; the built-in ones on demand, only the
// packages that apply to the kinds a run holds), prepares one query per
// kind, and exposes each policy package as an engine.Rule that evaluates
// many times.
//
// The contract is the one conftest and Gatekeeper users know: `deny` and
// `violation` rules report errors, `warn` rules warnings; each yields a
// string or an object {"msg": ..., "path": ...}. `input` is the object;
// data.inventory.namespace[ns][apiVersion][kind][name] and
// data.inventory.cluster[apiVersion][kind][name] hold the other objects of
// the run (Gatekeeper's layout, so policies port). A package-scoped
// `# METADATA` block gives the rule's title and description, and under
// `custom:` its id, severity, remediation and kinds.
package policy
