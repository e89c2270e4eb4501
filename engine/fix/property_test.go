package fix_test

import (
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/fix"
	"github.com/kubegate/kubegate/engine/manifest"
)

// TestRepoManifests fixes every manifest of the repository's testdata (the
// examples, the rule cases, the bundles and the fix cases) and checks what
// must hold whatever the input: the fixed file parses into the same
// objects; each object, with the fixed fields brought to one canonical
// form on both sides, is what it was; no fix failed on its own output;
// and fixing again changes nothing.
func TestRepoManifests(t *testing.T) {
	var files []string
	for _, root := range []string{"../../testdata/examples", "../../testdata/rules", "../../testdata/bundles", casesDir} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && manifest.IsManifestFile(p) && !strings.HasSuffix(p, ".params.json") {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) < 300 {
		t.Fatalf("found %d manifests under testdata, expected the repository's 300 and more", len(files))
	}
	eng := linter(t, "")
	parser := manifest.NewParser(manifest.DefaultLimits())
	var changed int
	for _, file := range files {
		data := readFile(t, file)
		objs, errs := parser.Parse(file, data)
		if len(errs) > 0 {
			continue // cases of input errors: lint reports them, --fix leaves the file
		}
		_, findings := lint(t, eng, file, data)
		r := fix.File(file, data, objs, findings, fix.Options{})
		for _, s := range r.Skips {
			if strings.Contains(s.Reason, "could not fix this file safely") || strings.Contains(s.Reason, "could not be found") {
				t.Errorf("%s: %s", file, s.Reason)
			}
			if testing.Verbose() {
				t.Logf("%s: no fix [%s]: %s", file, s.Finding.RuleID, s.Reason)
			}
		}
		if !r.Changed() {
			continue
		}
		changed++
		after, errs := parser.Parse(file, r.Data)
		if len(errs) > 0 {
			t.Errorf("%s: fixed file does not parse: %v", file, errs[0])
			continue
		}
		if len(after) != len(objs) {
			t.Errorf("%s: %d objects after the fix, %d before", file, len(after), len(objs))
			continue
		}
		for i := range objs {
			if diff := cmp.Diff(canonical(objs[i].Raw), canonical(after[i].Raw)); diff != "" {
				t.Errorf("%s: object %d (%s %s) changed beyond its fixes (-before +after):\n%s", file, i, objs[i].Kind, objs[i].Name, diff)
			}
		}
		_, again := lint(t, eng, file, r.Data)
		for _, c := range r.Changes {
			if slices.ContainsFunc(again, func(f engine.Finding) bool { return findingKey(f) == findingKey(c.Finding) }) {
				t.Errorf("%s: fixed finding still reported: %s", file, findingKey(c.Finding))
			}
		}
		if r2 := fix.File(file, r.Data, after, again, fix.Options{}); r2.Changed() {
			t.Errorf("%s: fixing twice changed the file again:\n%s", file, notes(r2))
		}
	}
	if changed < 50 {
		t.Errorf("only %d files changed; the property is checked on too few", changed)
	}
	t.Logf("%d manifests, %d changed by the fixes", len(files), changed)
}

// canonical returns a copy of an object with every field a fix writes
// brought to one form, so that an object and its fixed self compare
// equal: apiVersion dropped; an Ingress in the v1 shape (defaultBackend,
// service.name and service.port, pathType defaulted to
// ImplementationSpecific as v1beta1 did); imagePullPolicy of a moving tag
// as the API server defaults it; and the securityContext defaults the
// fixes write (allowPrivilegeEscalation false, drop ALL, RuntimeDefault)
// removed, with the mappings and lists left empty by that.
func canonical(raw map[string]any) map[string]any {
	obj := deepCopy(raw).(map[string]any)
	delete(obj, "apiVersion")
	if obj["kind"] == "Ingress" {
		canonicalIngress(obj)
	}
	canonicalPods(obj)
	return prune(obj).(map[string]any)
}

func canonicalIngress(obj map[string]any) {
	spec, _ := obj["spec"].(map[string]any)
	if spec == nil {
		return
	}
	if b, ok := spec["backend"]; ok {
		spec["defaultBackend"] = b
		delete(spec, "backend")
	}
	canonicalBackend(spec["defaultBackend"])
	rules, _ := spec["rules"].([]any)
	for _, r := range rules {
		rule, _ := r.(map[string]any)
		http, _ := rule["http"].(map[string]any)
		paths, _ := http["paths"].([]any)
		for _, p := range paths {
			path, _ := p.(map[string]any)
			if path == nil {
				continue
			}
			if _, ok := path["pathType"]; !ok {
				path["pathType"] = "ImplementationSpecific"
			}
			canonicalBackend(path["backend"])
		}
	}
}

func canonicalBackend(v any) {
	b, _ := v.(map[string]any)
	name, hasName := b["serviceName"]
	port, hasPort := b["servicePort"]
	if !hasName || !hasPort {
		return
	}
	delete(b, "serviceName")
	delete(b, "servicePort")
	p := map[string]any{"name": port}
	if _, isInt := port.(int64); isInt {
		p = map[string]any{"number": port}
	}
	b["service"] = map[string]any{"name": name, "port": p}
}

// canonicalPods normalizes every container and securityContext in the
// object, wherever its pod spec sits.
func canonicalPods(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if k == "securityContext" {
				if sc, ok := x.(map[string]any); ok {
					if sc["allowPrivilegeEscalation"] == false {
						delete(sc, "allowPrivilegeEscalation")
					}
					if sp, ok := sc["seccompProfile"].(map[string]any); ok && sp["type"] == "RuntimeDefault" {
						delete(sp, "type")
					}
					if caps, ok := sc["capabilities"].(map[string]any); ok {
						if drop, ok := caps["drop"].([]any); ok {
							caps["drop"] = slices.DeleteFunc(drop, func(c any) bool { return c == "ALL" })
						}
					}
				}
			}
			if image, ok := t["image"].(string); ok && k == "imagePullPolicy" && x == "IfNotPresent" && movingTag(image) {
				t[k] = "Always"
			}
			canonicalPods(x)
		}
	case []any:
		for _, x := range t {
			canonicalPods(x)
		}
	}
}

// movingTag reports whether an image has no tag or :latest, and no digest.
func movingTag(image string) bool {
	if strings.Contains(image, "@") {
		return false
	}
	last := image[strings.LastIndex(image, "/")+1:]
	_, tag, _ := strings.Cut(last, ":")
	return tag == "" || tag == "latest"
}

// prune drops empty mappings and lists, recursively.
func prune(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			x = prune(x)
			if m, ok := x.(map[string]any); ok && len(m) == 0 {
				delete(t, k)
				continue
			}
			if l, ok := x.([]any); ok && len(l) == 0 {
				delete(t, k)
				continue
			}
			t[k] = x
		}
	case []any:
		for i, x := range t {
			t[i] = prune(x)
		}
	}
	return v
}

func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = deepCopy(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = deepCopy(x)
		}
		return out
	}
	return v
}
