package rules

import (
	"context"
	"encoding/base64"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kubegate/kubegate/engine"
)

// configData reports ConfigMap and Secret data the API server rejects.
type configData struct{}

var configDataMeta = engine.Meta{
	ID:    "config-data",
	Title: "ConfigMap and Secret keys and sizes are valid",
	Description: "ConfigMap and Secret keys may hold only letters, digits, '-', '_' and '.' (they become file " +
		"names when mounted), at most 253 characters, and a ConfigMap key may not be in both data and " +
		"binaryData. A ConfigMap or Secret holds at most 1 MiB in all: etcd and the kubelet's watch cache " +
		"are not meant for bigger objects. A Secret of a built-in type must carry its type's keys: tls.crt " +
		"and tls.key for kubernetes.io/tls, .dockerconfigjson for kubernetes.io/dockerconfigjson, " +
		"ssh-privatekey for kubernetes.io/ssh-auth, username or password for kubernetes.io/basic-auth.",
	Remediation: "Rename keys to letters, digits, '-', '_' and '.'; move large data to a volume or an image; " +
		"add the keys the Secret type needs.",
	Severity: engine.Error,
	Kinds:    []string{"core/ConfigMap", "core/Secret"},
	Source:   "go",
	DocURL:   DocURL("config-data"),
}

// maxConfigSize is the API server's MaxSecretSize, also the ConfigMap limit.
const maxConfigSize = 1024 * 1024

// secretTypeKeys are the keys a Secret of each built-in type needs; any
// one of a group of alternatives is enough.
var secretTypeKeys = map[string][][]string{
	"kubernetes.io/tls":              {{"tls.crt"}, {"tls.key"}},
	"kubernetes.io/dockerconfigjson": {{".dockerconfigjson"}},
	"kubernetes.io/dockercfg":        {{".dockercfg"}},
	"kubernetes.io/ssh-auth":         {{"ssh-privatekey"}},
	"kubernetes.io/basic-auth":       {{"username", "password"}},
}

// Meta describes the rule.
func (configData) Meta() engine.Meta { return configDataMeta }

// Check validates the keys, the total size and, for Secrets, the type's keys.
func (configData) Check(_ context.Context, obj *engine.Object, _ engine.Inventory) ([]engine.Finding, error) {
	var out []engine.Finding
	total := 0
	keys := map[string]bool{}
	fields := []string{"data", "binaryData"}
	if obj.Kind == "Secret" {
		fields = []string{"data", "stringData"}
	}
	for _, field := range fields {
		m := rawMap(obj.Raw, field)
		for _, k := range sortedKeys(m) {
			at := engine.NewPath(field, k)
			if errs := validation.IsConfigMapKey(k); len(errs) > 0 {
				out = append(out, engine.NewFinding(configDataMeta, at,
					"key %q is not a valid %s key: %s", k, obj.Kind, strings.Join(errs, "; ")))
			}
			if field == "binaryData" && keys[k] {
				out = append(out, engine.NewFinding(configDataMeta, engine.NewPath("data", k),
					"key %q is in both data and binaryData; the API server rejects duplicates", k))
			}
			keys[k] = true
			v, _ := m[k].(string)
			if (field == "binaryData" || (obj.Kind == "Secret" && field == "data")) && v != "" {
				if b, err := base64.StdEncoding.DecodeString(v); err == nil {
					total += len(b)
					continue
				}
			}
			total += len(v)
		}
	}
	if total > maxConfigSize {
		out = append(out, engine.NewFinding(configDataMeta, engine.NewPath("data"),
			"%s holds %d bytes of data; the API server allows at most %d (1 MiB)", obj.Kind, total, maxConfigSize))
	}
	if obj.Kind == "Secret" {
		typ, _ := rawString(obj.Raw, "type")
		for _, group := range secretTypeKeys[typ] {
			found := false
			for _, k := range group {
				found = found || keys[k]
			}
			if !found {
				out = append(out, engine.NewFinding(configDataMeta, existing(obj, engine.NewPath("data")),
					"a Secret of type %s needs the key %s", typ, strings.Join(group, " or ")))
			}
		}
	}
	return out, nil
}
