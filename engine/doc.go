// Package engine is kubegate's core: the Object a manifest decodes into, the
// Rule contract every check implements (in Go or, through engine/policy, in
// Rego), the Finding a rule reports, the Inventory of the other objects a rule
// may look at, and Engine.Run, which evaluates every rule on every object and
// marks the findings that kubegate.io/ignore annotations (or a caller's
// Suppressor) suppress.
//
// The package imports neither the built-in rules, the schema package, OPA nor
// cobra: every front door (lint, webhook, API core, audit) builds on it, and
// keeping it small keeps all of them fast to start.
package engine
