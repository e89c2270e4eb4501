package apiservere2e

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apiserver/pkg/storage/storagebackend"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/restmapper"
	kubeapiservertesting "k8s.io/kubernetes/cmd/kube-apiserver/app/testing"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
	"github.com/kubegate/kubegate/rules"
)

// fidelityRules are the rules that claim to report what the API server
// rejects on create, and nothing it accepts. The other rules are best
// practice: the server accepts what they flag.
var fidelityRules = map[string]bool{
	"schema": true, "object-name": true, "labels-annotations": true, "port-ranges": true,
	"cronjob-schedule": true, "tolerations": true, "selector-operators": true, "pvc-access-modes": true,
	"config-data": true, "ingress-paths": true, "rbac-refs": true, "workload-selector": true,
	"rolling-update-zero": true, "hpa-replicas": true, "container-names": true,
	"resources-requests-exceed-limits": true, "job-restart-policy": true, "probe-handlers": true,
	"probe-timing-values":     true,
	"probe-success-threshold": true, "restart-policy-value": true, "workload-restart-policy": true,
	"ingress-class": true, "volume-names": true,
}

// corpusGlobs are the manifests sent to the server: the rule cases, the
// examples and the apiserver corpus of its own.
var corpusGlobs = []string{"../rules/*/*.yaml", "../examples/*", "corpus/*.yaml", "../bundles/*/*/*.yaml"}

// runUnit is what kubegate lints together with a file, as a user would: a
// bundle is linted as a directory, every other file alone.
func runUnit(file string) string {
	if strings.HasPrefix(file, "../bundles/") {
		return filepath.Dir(file)
	}
	return file
}

func startEtcd(t *testing.T) string {
	t.Helper()
	cfg := embed.NewConfig()
	cfg.Dir = t.TempDir()
	cfg.LogLevel = "error"
	client, peer := freeURL(t), freeURL(t)
	cfg.ListenClientUrls, cfg.AdvertiseClientUrls = []url.URL{client}, []url.URL{client}
	cfg.ListenPeerUrls, cfg.AdvertisePeerUrls = []url.URL{peer}, []url.URL{peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		t.Fatalf("start etcd: %v", err)
	}
	t.Cleanup(e.Close)
	select {
	case <-e.Server.ReadyNotify():
	case <-time.After(60 * time.Second):
		t.Fatal("etcd did not become ready")
	}
	return client.String()
}

func freeURL(t *testing.T) url.URL {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return url.URL{Scheme: "http", Host: l.Addr().String()}
}

type verdict struct {
	rejected bool
	fields   []string // the fields the server named, "" when it named none
	message  string
}

var unknownFieldRE = regexp.MustCompile(`unknown field "([^"]+)"`)

func serverVerdict(err error) verdict {
	if err == nil {
		return verdict{}
	}
	v := verdict{rejected: true, message: err.Error()}
	var status apierrors.APIStatus
	if errors.As(err, &status) {
		if d := status.Status().Details; d != nil {
			for _, c := range d.Causes {
				v.fields = append(v.fields, c.Field)
			}
		}
	}
	for _, m := range unknownFieldRE.FindAllStringSubmatch(err.Error(), -1) {
		v.fields = append(v.fields, m[1])
	}
	if len(v.fields) == 0 {
		v.fields = []string{""}
	}
	return v
}

// normalize writes a field path the way the API server does: map keys in
// brackets lose their quotes, and a template's metadata is flattened
// (the server says spec.template.labels for spec.template.metadata.labels).
func normalize(p string) string {
	p = strings.NewReplacer(`["`, "[", `"]`, "]", ".metadata.", ".").Replace(p)
	// Ingress validation names its class annotation without metadata and
	// with a dotted key: annotations.kubernetes.io/ingress.class.
	if rest, ok := strings.CutPrefix(p, "metadata.annotations"); ok {
		p = "annotations" + rest
	}
	if rest, ok := strings.CutPrefix(p, "annotations."); ok {
		p = "annotations[" + rest + "]"
	}
	return p
}

// trailingKey matches a last path element that is a map key in brackets,
// spec.resources[storage], which the server uses for a value of a map
// several levels down.
var trailingKey = regexp.MustCompile(`\[[^\]0-9][^\]]*\]$`)

// matches reports whether a finding at path p is about the server's field f:
// the same field, a field inside it, or (for a missing field) its parent.
func matches(p, f string) bool {
	p, f = normalize(p), normalize(f)
	if f == "" || p == f {
		return true
	}
	if trimmed := trailingKey.ReplaceAllString(f, ""); trimmed != f && matches(p, trimmed) {
		return true
	}
	if strings.HasPrefix(p, f) && (p[len(f)] == '.' || p[len(f)] == '[') {
		return true
	}
	// The server names labels and annotations by map: metadata.labels.
	return p != "" && strings.HasPrefix(f, p) && (f[len(p)] == '.' || f[len(p)] == '[')
}

func TestCorpusAgainstKubeAPIServer(t *testing.T) {
	ctx := context.Background()
	storage := storagebackend.NewDefaultConfig("/kubegate-e2e/registry", nil)
	storage.Transport.ServerList = []string{startEtcd(t)}
	server := kubeapiservertesting.StartTestServerOrDie(t, nil, []string{
		// The corpus is about validation, not about what admission adds.
		"--disable-admission-plugins=ServiceAccount,NamespaceLifecycle,LimitRanger,ResourceQuota,DefaultStorageClass,StorageObjectInUseProtection",
		// Whether privileged containers are allowed is the cluster's
		// choice, not validation; clusters that run system daemons allow
		// them, and kubegate's security rules warn about them.
		"--allow-privileged=true",
	}, storage)
	t.Cleanup(server.TearDownFn)

	dyn, err := dynamic.NewForConfig(server.ClientConfig)
	if err != nil {
		t.Fatal(err)
	}
	disc, err := discovery.NewDiscoveryClientForConfig(server.ClientConfig)
	if err != nil {
		t.Fatal(err)
	}
	cached := memory.NewMemCacheClient(disc)
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(cached)

	all, err := rules.Builtin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	eng := engine.New(all)
	parser := manifest.NewParser(manifest.DefaultLimits())

	var files []string
	for _, g := range corpusGlobs {
		m, err := filepath.Glob(g)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	sort.Strings(files)

	type item struct {
		file string
		obj  *engine.Object
		unit string
	}
	var items []item
	units := map[string][]*engine.Object{}
	namespaces := map[string]bool{}
	var crds []*engine.Object
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		objs, ferrs := parser.Parse(f, data)
		if len(ferrs) > 0 {
			continue // input errors are not the API server's business
		}
		units[runUnit(f)] = append(units[runUnit(f)], objs...)
		for _, o := range objs {
			items = append(items, item{file: f, obj: o, unit: runUnit(f)})
			if o.Namespace != "" {
				namespaces[o.Namespace] = true
			}
			if o.Kind == "CustomResourceDefinition" {
				crds = append(crds, o)
			}
		}
	}

	// Namespaces and valid CRDs exist for real, so that dry runs in them
	// and of their custom resources mean something.
	nsRes := schema.GroupVersionResource{Version: "v1", Resource: "namespaces"}
	for ns := range namespaces {
		u := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]any{"name": ns}}}
		if _, err := dyn.Resource(nsRes).Create(ctx, u, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) && !apierrors.IsInvalid(err) {
			t.Fatalf("create namespace %s: %v", ns, err)
		}
	}
	crdRes := schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}
	crdVerdict := map[*engine.Object]verdict{}
	for _, c := range crds {
		u := &unstructured.Unstructured{Object: runtime.DeepCopyJSON(c.Raw)}
		_, err := dyn.Resource(crdRes).Create(ctx, u, metav1.CreateOptions{FieldValidation: "Strict"})
		if apierrors.IsAlreadyExists(err) {
			// The same CRD in a bundle's clean and broken variants.
			err = nil
		}
		crdVerdict[c] = serverVerdict(err)
	}
	if len(crds) > 0 {
		time.Sleep(3 * time.Second) // let the CRDs become established and discoverable
		cached.Invalidate()
		mapper.Reset()
	}

	var rejected, accepted int
	for _, it := range items {
		o := it.obj
		where := fmt.Sprintf("%s:%d (%s %s %q)", it.file, o.Source.Line, o.APIVersion, o.Kind, o.Name)
		res, err := eng.Run(ctx, []*engine.Object{o}, engine.NewInventory(units[it.unit]))
		if err != nil {
			t.Fatalf("%s: lint: %v", where, err)
		}
		var errs []engine.Finding
		for _, f := range res.Findings {
			if f.Severity == engine.Error && (fidelityRules[f.RuleID] || f.RuleID == "deprecated-api") {
				errs = append(errs, f)
			}
		}

		// A custom resource whose CRD is not in its file has no schema for
		// kubegate (a warning, by design) while the server may know it
		// from another file: nothing to compare.
		if noSchema(res.Findings) {
			continue
		}
		var v verdict
		mapping, merr := mapper.RESTMapping(o.GVK.GroupKind(), o.GVK.Version)
		switch {
		case o.Kind == "CustomResourceDefinition":
			v = crdVerdict[o] // created for real above
		case merr != nil && meta.IsNoMatchError(merr):
			v = verdict{rejected: true, fields: []string{""}, message: merr.Error()}
		case merr != nil:
			t.Fatalf("%s: map kind: %v", where, merr)
		default:
			ns := ""
			if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
				ns = o.Namespace
				if ns == "" {
					ns = "default"
				}
			}
			u := &unstructured.Unstructured{Object: runtime.DeepCopyJSON(o.Raw)}
			_, cerr := dyn.Resource(mapping.Resource).Namespace(ns).Create(ctx, u, metav1.CreateOptions{
				DryRun:          []string{metav1.DryRunAll},
				FieldValidation: "Strict",
			})
			if apierrors.IsAlreadyExists(cerr) {
				// The namespaces the corpus uses were created above; a
				// Namespace object for one of them is valid all the same.
				cerr = nil
			}
			v = serverVerdict(cerr)
		}

		if !v.rejected {
			accepted++
			for _, f := range errs {
				if fidelityRules[f.RuleID] {
					t.Errorf("%s: the API server accepts it, but kubegate reports %s at %s: %s [%s]", where, f.Severity, f.Path, f.Message, f.RuleID)
				}
			}
			continue
		}
		rejected++
		for _, field := range v.fields {
			found := false
			for _, f := range errs {
				found = found || matches(f.Path.String(), field)
			}
			if !found {
				var got []string
				for _, f := range res.Findings {
					got = append(got, fmt.Sprintf("%s %s: %s [%s]", f.Severity, f.Path, f.Message, f.RuleID))
				}
				t.Errorf("%s: the API server rejects it at %q, but kubegate has no error there\n  server: %s\n  kubegate: %s",
					where, field, v.message, strings.Join(got, "\n            "))
			}
		}
	}
	t.Logf("%d objects: the API server rejected %d and accepted %d", rejected+accepted, rejected, accepted)
	if rejected == 0 || accepted == 0 {
		t.Fatal("the corpus must hold objects the server rejects and objects it accepts")
	}
}

func noSchema(fs []engine.Finding) bool {
	for _, f := range fs {
		if f.RuleID == "schema" && strings.HasPrefix(f.Message, "no schema for ") {
			return true
		}
	}
	return false
}
