package rules

import (
	"context"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubegate/kubegate/engine"
)

// ingressPaths reports networking.k8s.io/v1 Ingress rules the API server
// rejects.
type ingressPaths struct{}

var ingressPathsMeta = engine.Meta{
	ID:    "ingress-paths",
	Title: "Ingress rules have valid hosts, paths and backends",
	Description: "In networking.k8s.io/v1 every Ingress path needs a pathType (Exact, Prefix or " +
		"ImplementationSpecific) and a path that starts with '/'; Exact and Prefix paths may not contain " +
		"'//', '/./', '/../' or an encoded slash, nor end in '/.' or '/..'. Each backend names either a " +
		"service (with a port number between 1 and 65535 or a port name, not both) or a resource. A rule's " +
		"host is a DNS name, optionally with a leading '*.' wildcard, and never an IP address. The API server " +
		"rejects the Ingress otherwise.",
	Remediation: "Add pathType: Prefix (or Exact) and start the path with '/'; give the backend a service " +
		"name and a port.",
	Severity: engine.Error,
	Kinds:    []string{"networking.k8s.io/Ingress"},
	Source:   "go",
	DocURL:   DocURL("ingress-paths"),
}

// Meta describes the rule.
func (ingressPaths) Meta() engine.Meta { return ingressPathsMeta }

// Check validates hosts, paths and backends.
func (ingressPaths) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	if obj.APIVersion != "networking.k8s.io/v1" {
		return nil, nil
	}
	var out []engine.Finding
	if b := rawMap(obj.Raw, "spec", "defaultBackend"); b != nil {
		out = append(out, ingressBackend(b, engine.NewPath("spec", "defaultBackend"))...)
	}
	for i, r := range rawList(obj.Raw, "spec", "rules") {
		rp := engine.NewPath("spec", "rules", i)
		if host, ok := rawString(r, "host"); ok && host != "" {
			out = append(out, ingressHost(host, rp.Child("host"))...)
		}
		for j, p := range rawList(r, "http", "paths") {
			pp := rp.Child("http", "paths").Index(j)
			path, _ := rawString(p, "path")
			pathType, hasType := rawString(p, "pathType")
			switch {
			case !hasType || pathType == "":
				out = append(out, engine.NewFinding(ingressPathsMeta, existing(obj, pp.Child("pathType")),
					"path %q has no pathType; networking.k8s.io/v1 requires Exact, Prefix or ImplementationSpecific", path))
			case pathType != "Exact" && pathType != "Prefix" && pathType != "ImplementationSpecific":
				out = append(out, engine.NewFinding(ingressPathsMeta, pp.Child("pathType"),
					"pathType %q is not supported; use Exact, Prefix or ImplementationSpecific", pathType))
			}
			switch {
			case path != "" && !strings.HasPrefix(path, "/"):
				out = append(out, engine.NewFinding(ingressPathsMeta, pp.Child("path"),
					"path %q must be an absolute path (start with '/')", path))
			case path == "" && (pathType == "Exact" || pathType == "Prefix"):
				out = append(out, engine.NewFinding(ingressPathsMeta, existing(obj, pp.Child("path")),
					"a %s path must be an absolute path (start with '/')", pathType))
			case pathType == "Exact" || pathType == "Prefix":
				for _, bad := range []string{"//", "/./", "/../", "%2f", "%2F"} {
					if strings.Contains(path, bad) {
						out = append(out, engine.NewFinding(ingressPathsMeta, pp.Child("path"),
							"%s path %q must not contain %q", pathType, path, bad))
					}
				}
				for _, bad := range []string{"/..", "/."} {
					if strings.HasSuffix(path, bad) {
						out = append(out, engine.NewFinding(ingressPathsMeta, pp.Child("path"),
							"%s path %q must not end with %q", pathType, path, bad))
					}
				}
			}
			if b := rawMap(p, "backend"); b != nil {
				out = append(out, ingressBackend(b, pp.Child("backend"))...)
			} else {
				out = append(out, engine.NewFinding(ingressPathsMeta, pp, "path %q has no backend", path))
			}
		}
	}
	return out, nil
}

func ingressHost(host string, at engine.Path) []engine.Finding {
	if len(validation.IsValidIP(nil, host)) == 0 {
		return []engine.Finding{engine.NewFinding(ingressPathsMeta, at, "host %q is an IP address; an Ingress host must be a DNS name", host)}
	}
	check := validation.IsDNS1123Subdomain
	if strings.Contains(host, "*") {
		check = validation.IsWildcardDNS1123Subdomain
	}
	if errs := check(host); len(errs) > 0 {
		return []engine.Finding{engine.NewFinding(ingressPathsMeta, at, "host %q is not a valid DNS name: %s", host, strings.Join(errs, "; "))}
	}
	return nil
}

func ingressBackend(b map[string]any, at engine.Path) []engine.Finding {
	svc := rawMap(b, "service")
	_, hasResource := b["resource"]
	switch {
	case svc != nil && hasResource:
		return []engine.Finding{engine.NewFinding(ingressPathsMeta, at, "a backend names both a service and a resource; name one")}
	case svc == nil && !hasResource:
		return []engine.Finding{engine.NewFinding(ingressPathsMeta, at, "a backend must name a service or a resource")}
	case svc == nil:
		return nil
	}
	var out []engine.Finding
	sp := at.Child("service")
	if name, _ := rawString(svc, "name"); name == "" {
		out = append(out, engine.NewFinding(ingressPathsMeta, sp, "the backend service has no name"))
	} else if errs := validation.IsDNS1035Label(name); len(errs) > 0 {
		out = append(out, engine.NewFinding(ingressPathsMeta, sp.Child("name"), "service name %q is not a DNS-1035 label: %s", name, strings.Join(errs, "; ")))
	}
	number, hasNumber := rawInt(svc, "port", "number")
	portName, hasName := rawString(svc, "port", "name")
	switch {
	case hasNumber && hasName && portName != "":
		out = append(out, engine.NewFinding(ingressPathsMeta, sp.Child("port"), "the backend port sets both a number and a name; set one"))
	case hasNumber && !validPort(number):
		out = append(out, engine.NewFinding(ingressPathsMeta, sp.Child("port", "number"), "backend port %d is out of range; it must be between 1 and 65535", number))
	case hasName && portName != "":
		if errs := validation.IsValidPortName(portName); len(errs) > 0 {
			out = append(out, engine.NewFinding(ingressPathsMeta, sp.Child("port", "name"), "backend port name %q is not an IANA service name: %s", portName, strings.Join(errs, "; ")))
		}
	case !hasNumber:
		out = append(out, engine.NewFinding(ingressPathsMeta, sp, "the backend service has no port (number or name)"))
	}
	return out
}
