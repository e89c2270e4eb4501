# METADATA
# title: Ingress hosts are named, not wildcards
# description: |
#   A host of '*.example.com' matches exactly one DNS label in place of
#   the '*': it matches shop.example.com but neither example.com nor
#   a.b.example.com. It also claims every present and future subdomain
#   for this Ingress' backend, so a typo or a forgotten team's hostname
#   reaches it (and shadows nothing: a named host of the same class wins
#   over the wildcard). Reported as information, since wildcards are
#   right for a catch-all or a multi-tenant front door.
# custom:
#   id: ingress-wildcard-host
#   severity: info
#   remediation: Name the hosts the backend serves; keep a wildcard only for a deliberate catch-all, with a TLS certificate for it.
#   kinds: [networking.k8s.io/Ingress]
package kubegate.rules.ingress_wildcard_host

deny contains {"msg": msg, "path": ["spec", "rules", i, "host"]} if {
	some i
	host := input.spec.rules[i].host
	startswith(host, "*.")
	msg := sprintf("host %q is a wildcard: it matches any single label in place of '*' (not %q itself, nor deeper subdomains) and sends them all to this backend", [host, substring(host, 2, -1)])
}
