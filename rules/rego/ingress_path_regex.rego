# METADATA
# title: Exact and Prefix Ingress paths are literal
# description: |
#   An Exact path matches one URL path, character for character; a Prefix
#   path matches by whole path elements split on '/' (Prefix /api matches
#   /api and /api/v1 but not /apis), ignoring a trailing slash. Neither
#   knows wildcards or regular expressions: Prefix /api/.* or /static/*
#   match only a literal '.*' or '*' element, so the route never matches
#   what was meant. Regular expressions belong in ImplementationSpecific
#   paths, interpreted by the IngressClass' controller (ingress-nginx
#   with nginx.ingress.kubernetes.io/use-regex).
# custom:
#   id: ingress-path-regex
#   severity: warning
#   remediation: Drop the wildcard (Prefix /static already matches everything below /static), or use pathType ImplementationSpecific with the controller's regex support.
#   kinds: [networking.k8s.io/Ingress]
package kubegate.rules.ingress_path_regex

# Characters that only mean something to a regular expression or a glob.
pattern_chars := {"*", "(", ")", "[", "]", "{", "}", "^", "$", "|", "+", "?", "\\"}

deny contains {"msg": msg, "path": ["spec", "rules", i, "http", "paths", j, "path"]} if {
	some i, j
	p := input.spec.rules[i].http.paths[j]
	p.pathType in {"Exact", "Prefix"}
	found := [c | some c in pattern_chars; contains(p.path, c)]
	count(found) > 0
	msg := sprintf("%s path %q contains %s: %s paths are literal, so it matches no URL you meant; use ImplementationSpecific for a regular expression", [p.pathType, p.path, concat(" ", sort(found)), p.pathType])
}
