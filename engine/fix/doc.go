// Package fix rewrites manifests to resolve the findings whose remedy is
// mechanical: removed API versions moved to their successor (Ingress with
// its field moves), imagePullPolicy for moving tags, and the securityContext
// settings that no working image depends on.
//
// A fix is tied to the rule whose finding it resolves: File takes the
// findings a lint run produced and acts only on those of the rules in
// Rules(), so it fixes what lint reports and nothing that was disabled,
// suppressed or never reported.
//
// Fixes are computed from the goyaml.v3 node tree (go.yaml.in/yaml/v3), which
// knows the line and column of every key and value, and applied as text
// splices: every byte a fix does not change stays as it was, so comments,
// key order, quoting, blank lines, document separators and CRLF line ends
// survive. New keys are written in the indentation width and sequence
// style ("- " indented under its key or not) the document already uses.
// Documents are never re-encoded, since an encoder rewrites all of that.
//
// What cannot be changed safely is left untouched and said so (a Skip): a
// JSON file, a flow-style mapping that would need a new key, an object with
// YAML anchors or aliases (an edit would reach every alias), a value written
// on several lines, a setting the author wrote explicitly (allowPrivilege-
// Escalation: true, an added capability, Unconfined, imagePullPolicy: Never).
// An object is fixed whole or not at all: an Ingress half moved to
// networking.k8s.io/v1 would be worse than one left as it was. As a last
// guard, the rewritten file must parse into as many documents as before,
// or the file is left as it was.
package fix
