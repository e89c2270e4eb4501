package fix

import (
	"fmt"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// ingressV1 makes the field moves of an Ingress from extensions/v1beta1 or
// networking.k8s.io/v1beta1 to networking.k8s.io/v1, as the API server's
// own conversion does: spec.backend becomes spec.defaultBackend; a
// backend's serviceName and servicePort become service.name and
// service.port.number (an integer) or service.port.name (a string); and a
// path without pathType gets ImplementationSpecific, the value v1beta1
// defaulted it to, so the object routes as before.
func ingressV1(o *object, c *changeset) (string, error) {
	spec := lookup(o.root, "spec")
	if spec == nil {
		return "", nil
	}
	if spec.Kind != yaml.MappingNode {
		return "", skipf("line %d: spec is not a mapping", spec.Line)
	}
	var backends, pathTypes int
	var did []string
	if key := lookupKey(spec, "backend"); key != nil {
		if lookup(spec, "defaultBackend") != nil {
			return "", skipf("line %d: spec has both backend and defaultBackend", key.Line)
		}
		if err := o.replaceScalar(c, key, "defaultBackend"); err != nil {
			return "", err
		}
		did = append(did, "spec.backend → spec.defaultBackend")
		n, err := o.ingressBackend(c, lookup(spec, "backend"))
		if err != nil {
			return "", err
		}
		backends += n
	}
	if rules := lookup(spec, "rules"); rules != nil {
		if rules.Kind != yaml.SequenceNode {
			return "", skipf("line %d: spec.rules is not a sequence", rules.Line)
		}
		for _, rule := range rules.Content {
			paths := lookup(lookup(rule, "http"), "paths")
			if paths == nil {
				continue
			}
			if paths.Kind != yaml.SequenceNode {
				return "", skipf("line %d: http.paths is not a sequence", paths.Line)
			}
			for _, p := range paths.Content {
				if p.Kind != yaml.MappingNode {
					return "", skipf("line %d: a path is not a mapping", p.Line)
				}
				n, err := o.ingressBackend(c, lookup(p, "backend"))
				if err != nil {
					return "", err
				}
				backends += n
				if lookup(p, "pathType") != nil {
					continue
				}
				if err := o.insert(c, p, lookupKey(p, "path"), []string{"pathType"}, scalar("ImplementationSpecific")); err != nil {
					return "", err
				}
				pathTypes++
			}
		}
	}
	if backends > 0 {
		did = append(did, fmt.Sprintf("%s moved to service.name and service.port", plural(backends, "backend")))
	}
	if pathTypes > 0 {
		did = append(did, fmt.Sprintf("pathType: ImplementationSpecific added to %s", plural(pathTypes, "path")))
	}
	return strings.Join(did, "; "), nil
}

// ingressBackend rewrites one v1beta1 backend in place, turning
//
//	serviceName: web
//	servicePort: 80
//
// into
//
//	service:
//	  name: web
//	  port:
//	    number: 80
//
// by splicing the text before each value, so the values and the comments
// after them stay where they were. It returns 1 when it moved a backend, 0
// for one that names no service (a resource backend, or one already in the
// v1 form).
func (o *object) ingressBackend(c *changeset, b *yaml.Node) (int, error) {
	if b == nil {
		return 0, nil
	}
	if b.Kind != yaml.MappingNode {
		return 0, skipf("line %d: backend is not a mapping", b.Line)
	}
	nameKey, portKey := lookupKey(b, "serviceName"), lookupKey(b, "servicePort")
	switch {
	case nameKey == nil && portKey == nil:
		return 0, nil
	case nameKey == nil || portKey == nil:
		return 0, skipf("line %d: the backend has serviceName or servicePort without the other", b.Line)
	case b.Style&yaml.FlowStyle != 0:
		return 0, skipf("line %d: the backend is written in flow style ({...}); move it to service.name and service.port yourself", b.Line)
	case len(b.Content) != 4:
		return 0, skipf("line %d: the backend has keys besides serviceName and servicePort", b.Line)
	}
	portVal := lookup(b, "servicePort")
	var portField string
	switch {
	case portVal.Kind == yaml.ScalarNode && portVal.Tag == "!!int":
		portField = "number"
	case portVal.Kind == yaml.ScalarNode && portVal.Tag == "!!str" && strings.Trim(portVal.Value, "0123456789") != "":
		portField = "name"
	case portVal.Kind == yaml.ScalarNode && portVal.Tag == "!!str":
		return 0, skipf("line %d: servicePort %q is a number written as a string, which v1beta1 took as a port name; write service.port.number or service.port.name yourself", portVal.Line, portVal.Value)
	default:
		return 0, skipf("line %d: servicePort %q is neither a port number nor a port name; write service.port yourself", portVal.Line, portVal.Value)
	}

	// The two entries, in the order written, each become a line under
	// "service:", which the first one starts.
	indent, w := b.Content[0].Column-1, o.style.width
	pad := func(n int) string { return strings.Repeat(" ", n) }
	head := func(key *yaml.Node) string {
		if key == nameKey {
			return pad(indent+w) + "name: "
		}
		return pad(indent+w) + "port:" + o.t.eol + pad(indent+2*w) + portField + ": "
	}
	for i := 0; i < 4; i += 2 {
		key, val := b.Content[i], b.Content[i+1]
		if val.Kind != yaml.ScalarNode || val.Line != key.Line {
			return 0, skipf("line %d: write %s's value on its line to let kubegate move it", key.Line, key.Value)
		}
		keyStart, ok1 := o.t.offset(key.Line, key.Column)
		valStart, ok2 := o.t.offset(val.Line, val.Column)
		lineStart, _ := o.t.offset(key.Line, 1)
		if !ok1 || !ok2 || key.Column-1 != indent || strings.TrimSpace(string(o.t.b[lineStart:keyStart])) != "" {
			return 0, skipf("line %d: %s does not start its line", key.Line, key.Value)
		}
		if i == 0 {
			text := "service:" + o.t.eol + head(key)
			c.edits = append(c.edits, edit{start: keyStart, end: valStart, text: text})
		} else {
			c.edits = append(c.edits, edit{start: lineStart, end: valStart, text: head(key)})
		}
	}
	return 1, nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
