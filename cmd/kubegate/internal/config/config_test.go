package config

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
	"github.com/kubegate/kubegate/rules"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "repo", FileName), "version: 1\n")
	write(t, filepath.Join(root, "repo", "sub", "deeper", "x.yaml"), "")
	write(t, filepath.Join(root, "repo", "nested", FileName), "version: 1\n")
	if err := os.MkdirAll(filepath.Join(root, "odd", FileName), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		dir     string
		want    string
		wantErr string
	}{
		{name: "in the directory", dir: "repo", want: "repo/" + FileName},
		{name: "in a parent", dir: "repo/sub/deeper", want: "repo/" + FileName},
		{name: "the nearest wins", dir: "repo/nested", want: "repo/nested/" + FileName},
		{name: "none up to the stop", dir: ".", want: ""},
		{name: "a directory by that name", dir: "odd", wantErr: "is not a regular file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := find(filepath.Join(root, tt.dir), root)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("find error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != "" {
				tt.want = filepath.Join(root, tt.want)
			}
			if got != tt.want {
				t.Errorf("find = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{name: "empty file", src: "", want: []string{
			".kubegate.yaml:1:1: the file is empty; it needs at least version: 1",
		}},
		{name: "no version", src: "failOn: warning\n", want: []string{
			".kubegate.yaml:1:1: version is missing; start the file with version: 1",
		}},
		{name: "other version", src: "version: 2\n", want: []string{
			".kubegate.yaml:1:10: version: this kubegate reads version 1, not 2",
		}},
		{name: "version not a number", src: "version: v1\n", want: []string{
			`.kubegate.yaml:1:10: version: want an integer, not "v1"`,
		}},
		{name: "not a mapping", src: "- version: 1\n", want: []string{
			".kubegate.yaml:1:1: want a mapping of settings (version: 1, rules: ...), not a list",
		}},
		{name: "two documents", src: "version: 1\n---\nversion: 1\n", want: []string{
			".kubegate.yaml:2:1: a second YAML document; the configuration is one document",
		}},
		{name: "syntax error", src: "version: 1\nrules:\n  only: [a\n", want: []string{
			".kubegate.yaml:3:9: yaml: did not find expected ',' or ']'",
		}},
		{name: "unknown keys, with and without a near one", src: "version: 1\nfailon: warning\nrules:\n  enabel: [a]\n  colour: red\n", want: []string{
			`.kubegate.yaml:2:1: unknown key "failon"; did you mean "failOn"?`,
			`.kubegate.yaml:4:3: unknown key "enabel" in rules; did you mean "enable"?`,
			`.kubegate.yaml:5:3: unknown key "colour" in rules; known keys: only, enable, disable, severity, params`,
		}},
		{name: "unknown key in an exemption", src: "version: 1\nexemptions:\n  - reason: r\n    kind: [Pod]\n", want: []string{
			`.kubegate.yaml:3:5: exemptions[0]: covers every finding of every object; name rules, namespaces, kinds or names`,
			`.kubegate.yaml:4:5: unknown key "kind" in exemptions[0]; did you mean "kinds"?`,
		}},
		{name: "wrong types", src: "version: 1\nstrict: yes\nrequireSchemas: 1\nexclude: vendor\nrules: [a]\npolicies: [[a]]\nfailOn: ~\n", want: []string{
			`.kubegate.yaml:2:9: strict: want true or false, not "yes"`,
			`.kubegate.yaml:3:17: requireSchemas: want true or false, not "1"`,
			`.kubegate.yaml:4:10: exclude: want a list, not "vendor"`,
			`.kubegate.yaml:5:8: rules: want a mapping, not a list`,
			`.kubegate.yaml:6:12: policies[0]: want a string, not a list`,
			`.kubegate.yaml:7:9: failOn: want a string, not null`,
		}},
		{name: "repeated key", src: "version: 1\nfailOn: info\nfailOn: error\n", want: []string{
			`.kubegate.yaml:3:1: key "failOn" is repeated`,
		}},
		{name: "merge key", src: "version: 1\nbase: &b {strict: false}\n<<: *b\n", want: []string{
			`.kubegate.yaml:2:1: unknown key "base"; known keys: version, rules, exclude, exemptions, policies, crds, kubernetesVersion, targetVersion, strict, requireSchemas, failOn, outputs, ignoreAnnotations`,
			".kubegate.yaml:3:1: merge keys (<<) are not supported; write the keys out",
		}},
		{name: "bad values", src: `version: 1
rules:
  severity: {image-tag: fatal}
failOn: critical
kubernetesVersion: "1.20"
targetVersion: latest
exclude: ["/etc", "../up", "a[b", ""]
outputs: ["json=", "=x"]
`, want: []string{
			`.kubegate.yaml:3:25: rules.severity.image-tag: parse severity "fatal": want error, warning or info`,
			`.kubegate.yaml:4:9: failOn: parse severity "critical": want error, warning or info`,
			`.kubegate.yaml:5:20: kubernetesVersion: the schemas of Kubernetes 1.20 are not embedded (have 1.33, 1.34, 1.35, 1.36, 1.37)`,
			`.kubegate.yaml:6:16: targetVersion: parse Kubernetes version "latest": want 1.MINOR`,
			`.kubegate.yaml:7:11: exclude[0]: "/etc": patterns match paths relative to the configuration file's directory and below it`,
			`.kubegate.yaml:7:19: exclude[1]: "../up": patterns match paths relative to the configuration file's directory and below it`,
			`.kubegate.yaml:7:28: exclude[2]: "a[b" is not a valid glob pattern`,
			`.kubegate.yaml:7:35: exclude[3]: empty pattern`,
			`.kubegate.yaml:8:11: outputs[0]: "json=": want FORMAT or FORMAT=FILE`,
			`.kubegate.yaml:8:20: outputs[1]: "=x": want FORMAT or FORMAT=FILE`,
		}},
		{name: "exemptions", src: `version: 1
exemptions:
  - namespaces: [kube-system]
  - reason: "  "
  - names: ["a/b"]
    kinds: ["[x"]
    reason: r
`, want: []string{
			`.kubegate.yaml:3:5: exemptions[0]: reason is required: say why these objects are exempt`,
			`.kubegate.yaml:4:5: exemptions[1]: reason is required: say why these objects are exempt`,
			`.kubegate.yaml:4:5: exemptions[1]: covers every finding of every object; name rules, namespaces, kinds or names`,
			`.kubegate.yaml:5:13: exemptions[2].names[0]: "a/b": namespaces, kinds and names hold no /`,
			`.kubegate.yaml:6:13: exemptions[2].kinds[0]: "[x" is not a valid glob pattern`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(FileName, "/repo", []byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			if diff := cmp.Diff(tt.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeValues(t *testing.T) {
	src := `version: 1
rules:
  only: []
  enable: [image-digest]
  disable: ~
  severity: {image-tag: ERROR}
  params:
    qos-min-class: {minQoSClass: Burstable}
    replicas-minimum: {min: 2}
exclude: [vendor]
exemptions:
  - kinds: [DaemonSet]
    reason: node agents
anchors: &x [a]
`
	_, err := Decode(FileName, "/repo", []byte(src))
	if err == nil || !strings.Contains(err.Error(), `unknown key "anchors"`) {
		t.Fatalf("error = %v, want the unknown key", err)
	}
	src = strings.Replace(src, "anchors: &x [a]\n", "kubernetesVersion: 1.30\ntargetVersion: 1.29\nstrict: false\n", 1)
	src = strings.Replace(src, "kubernetesVersion: 1.30", "kubernetesVersion: 1.34", 1)
	f, err := Decode(FileName, "/repo", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	want.Rules.Enable = []string{"image-digest"}
	want.Rules.Severity = map[string]string{"image-tag": "ERROR"}
	want.Rules.Params = map[string]map[string]any{"qos-min-class": {"minQoSClass": "Burstable"}, "replicas-minimum": {"min": 2}}
	want.Exclude = []string{"vendor"}
	want.Exemptions = []Exemption{{Kinds: []string{"DaemonSet"}, Reason: "node agents"}}
	// An unquoted 1.34 keeps its text, not the float 1.34 would be.
	want.KubernetesVersion = "1.34"
	want.TargetVersion = "1.29"
	want.Strict = false
	if diff := cmp.Diff(want, f.Config); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	if got := f.LocateKey("rules.params.replicas-minimum"); got != (engine.Location{File: FileName, Line: 9, Column: 5}) {
		t.Errorf("LocateKey = %+v", got)
	}
	if got := f.Locate("exemptions[0].kinds[0]"); got != (engine.Location{File: FileName, Line: 12, Column: 13}) {
		t.Errorf("Locate = %+v", got)
	}
}

func TestCheckRules(t *testing.T) {
	all, err := rules.Builtin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	src := `version: 1
rules:
  only: [schema]
  enable: [image-digets, qos-min-class]
  disable: [no-such-rule]
  severity: {imagetag: info, image-tag: info}
  params:
    qos-min-class: {minClass: Burstable}
    replicas-minimum: {min: many}
    container-names: {x: 1}
    nope: {x: 1}
exemptions:
  - rules: [host-path, hostpath]
    reason: r
`
	f, err := Decode(FileName, "/repo", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	err = f.Check(all)
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		`.kubegate.yaml:4:12: rules.enable[0]: unknown rule "image-digets"; did you mean "image-digest"?`,
		`.kubegate.yaml:5:13: rules.disable[0]: unknown rule "no-such-rule" (see kubegate rules list)`,
		`.kubegate.yaml:6:14: rules.severity.imagetag: unknown rule "imagetag"; did you mean "image-tag"?`,
		`.kubegate.yaml:8:21: rules.params.qos-min-class.minClass: rule qos-min-class has no parameter "minClass" (it takes minQoSClass)`,
		`.kubegate.yaml:9:5: rules.params.replicas-minimum: decode parameters of replicas-minimum: json: cannot unmarshal string into Go struct field .min of type int64`,
		`.kubegate.yaml:10:5: rules.params.container-names: rule container-names takes no parameters`,
		`.kubegate.yaml:11:5: rules.params.nope: unknown rule "nope" (see kubegate rules list)`,
		`.kubegate.yaml:13:24: exemptions[0].rules[1]: unknown rule "hostpath"; did you mean "host-path"?`,
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestExcluder(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	f, err := Decode(FileName, dir, []byte("version: 1\nexclude: [vendor, \"**/*.generated.yaml\", \"charts/*/tests\", \"{a,b}.yaml\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	ex := f.Excluder()
	tests := []struct {
		path string
		want bool
	}{
		{path: "vendor", want: true},
		{path: "vendor/x.yaml", want: true},
		{path: "vendor/deep/x.yaml", want: true},
		{path: "./vendor/x.yaml", want: true},
		{path: filepath.Join(dir, "vendor", "x.yaml"), want: true},
		{path: "src/vendor/x.yaml", want: false},
		{path: "x.generated.yaml", want: true},
		{path: "deep/down/x.generated.yaml", want: true},
		{path: "x.yaml", want: false},
		{path: "charts/web/tests/t.yaml", want: true},
		{path: "charts/web/templates/t.yaml", want: false},
		{path: "a.yaml", want: true},
		{path: "c.yaml", want: false},
		{path: "../outside/vendor/x.yaml", want: false},
		{path: "-", want: false},
	}
	for _, tt := range tests {
		if got := ex(tt.path); got != tt.want {
			t.Errorf("excluded(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
	none, err := Decode(FileName, dir, []byte("version: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if none.Excluder() != nil {
		t.Error("a file without exclude patterns has an excluder")
	}

	// gitignore habits: a leading ./ and a trailing / change nothing.
	for _, pat := range []string{"vendor/", "./vendor", "./vendor/", ".//vendor//"} {
		f, err := Decode(FileName, dir, []byte("version: 1\nexclude: [\""+pat+"\"]\n"))
		if err != nil {
			t.Fatalf("exclude %q: %v", pat, err)
		}
		ex := f.Excluder()
		for path, want := range map[string]bool{"vendor": true, "vendor/x.yaml": true, "vendorx/x.yaml": false, "src/vendor/x.yaml": false} {
			if got := ex(path); got != want {
				t.Errorf("exclude %q: excluded(%q) = %v, want %v", pat, path, got, want)
			}
		}
	}
}

func TestExcluderFromASubdirectory(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "apps"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Run from apps/, with the file in its parent: patterns still match
	// from the file's directory.
	t.Chdir(filepath.Join(dir, "apps"))
	f, err := Decode("../"+FileName, dir, []byte("version: 1\nexclude: [apps/legacy]\npolicies: [policies]\n"))
	if err != nil {
		t.Fatal(err)
	}
	ex := f.Excluder()
	if !ex("legacy/x.yaml") || ex("current/x.yaml") {
		t.Errorf("legacy/x.yaml excluded = %v, current/x.yaml excluded = %v; want true, false", ex("legacy/x.yaml"), ex("current/x.yaml"))
	}
	if got := f.Resolve("policies"); got != filepath.Join("..", "policies") {
		t.Errorf("Resolve = %q, want ../policies", got)
	}
	// An absolute path stays the same file, named from the working
	// directory.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Resolve("/abs/p"); filepath.Join(wd, got) != "/abs/p" && got != "/abs/p" {
		t.Errorf("Resolve(/abs/p) = %q", got)
	}
}

func TestSuppressor(t *testing.T) {
	f, err := Decode(FileName, "/repo", []byte(`version: 1
exemptions:
  - rules: [host-path]
    namespaces: [kube-system, "monitoring-*"]
    kinds: [DaemonSet]
    names: ["node-exporter*", "{fluentd,fluent-bit}"]
    reason: node agents
  - namespaces: [default]
    reason: the default namespace is a sandbox
  - kinds: ["*Role*"]
    rules: [rbac-wildcard]
    reason: reviewed by security
`))
	if err != nil {
		t.Fatal(err)
	}
	objs, errs := manifest.NewParser(manifest.DefaultLimits()).Parse("in.yaml", []byte(`apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter-a, namespace: monitoring-eu}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: fluent-bit, namespace: kube-system}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: fluent-bit-2, namespace: kube-system}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: node-exporter, namespace: kube-system}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: anything}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: elsewhere, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: admin}
`))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	s := f.Suppressor()
	tests := []struct {
		obj  int
		rule string
		want string // the reason, "" for not suppressed
	}{
		{obj: 0, rule: "host-path", want: "node agents"},
		{obj: 0, rule: "run-as-non-root", want: ""},
		{obj: 1, rule: "host-path", want: "node agents"},
		{obj: 2, rule: "host-path", want: ""}, // name does not match
		{obj: 3, rule: "host-path", want: ""}, // kind does not match
		{obj: 4, rule: "config-data", want: "the default namespace is a sandbox"},
		{obj: 5, rule: "config-data", want: ""},
		{obj: 6, rule: "rbac-wildcard", want: "reviewed by security"},
		// Cluster-scoped: no namespace, so no exemption naming namespaces.
		{obj: 6, rule: "config-data", want: ""},
	}
	for _, tt := range tests {
		o := objs[tt.obj]
		got := s(o, &engine.Finding{RuleID: tt.rule})
		var reason string
		if got != nil {
			if got.Kind != engine.SuppressedByConfig {
				t.Errorf("kind = %q", got.Kind)
			}
			reason = got.Reason
		}
		if reason != tt.want {
			t.Errorf("%s %s/%s, %s: suppressed for %q, want %q", o.Kind, o.Namespace, o.Name, tt.rule, reason, tt.want)
		}
	}
}

func TestFlags(t *testing.T) {
	want := []string{"only", "enable", "disable", "severity", "param", "policy", "crds", "kubernetes-version", "target-version", "strict", "require-schemas", "fail-on", "output", "no-ignore-annotations"}
	if diff := cmp.Diff(want, Flags()); diff != "" {
		t.Errorf("Flags (-want +got):\n%s", diff)
	}
}
