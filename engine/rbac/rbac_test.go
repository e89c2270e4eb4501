package rbac_test

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	rbacv1 "k8s.io/api/rbac/v1"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
	"github.com/kubegate/kubegate/engine/rbac"
)

// policySrc binds a few subjects to built-in, aggregated, namespaced and
// name-restricted roles.
const policySrc = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: widgets-viewer
  labels:
    rbac.authorization.k8s.io/aggregate-to-view: "true"
rules:
  - apiGroups: [example.com]
    resources: [widgets]
    verbs: [get, list, watch]
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema: {openAPIV3Schema: {type: object}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: dev-edit
  namespace: shop
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
  - kind: ServiceAccount
    name: deployer
  - kind: Group
    name: developers
    apiGroup: rbac.authorization.k8s.io
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: auditors
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
  - kind: User
    name: alice
    apiGroup: rbac.authorization.k8s.io
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: config-reader
  namespace: shop
rules:
  - apiGroups: [""]
    resources: [secrets]
    resourceNames: [shop-config]
    verbs: [get]
  - apiGroups: [""]
    resources: [nodes]
    verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: config-reader
  namespace: shop
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: config-reader}
subjects:
  - kind: ServiceAccount
    name: frontend
    namespace: shop
`

func policy(t *testing.T, opts rbac.Options) (*rbac.Policy, engine.Inventory) {
	t.Helper()
	objs, errs := manifest.NewParser(manifest.DefaultLimits()).Parse("rbac.yaml", []byte(policySrc))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	inv := engine.NewInventory(objs)
	return rbac.Build(inv, opts), inv
}

func TestCan(t *testing.T) {
	p, inv := policy(t, rbac.Options{})
	tests := []struct {
		name      string
		subject   string
		verb      string
		resource  string
		namespace string
		all       bool
		want      bool
	}{
		{name: "edit reads secrets", subject: "system:serviceaccount:shop:deployer", verb: "get", resource: "secrets", namespace: "shop", want: true},
		{name: "edit execs into pods", subject: "serviceaccount:shop:deployer", verb: "create", resource: "pods/exec", namespace: "shop", want: true},
		{name: "only in its namespace", subject: "system:serviceaccount:shop:deployer", verb: "get", resource: "secrets", namespace: "billing", want: false},
		{name: "any namespace", subject: "system:serviceaccount:shop:deployer", verb: "get", resource: "secrets", want: true},
		{name: "not across all namespaces", subject: "system:serviceaccount:shop:deployer", verb: "get", resource: "secrets", all: true, want: false},
		{name: "group member", subject: "group:developers", verb: "update", resource: "deployments.apps", namespace: "shop", want: true},
		{name: "view cannot read secrets", subject: "alice", verb: "get", resource: "secrets", namespace: "shop", want: false},
		{name: "view reads pods everywhere", subject: "user:alice", verb: "list", resource: "pods", all: true, want: true},
		{name: "aggregated into view", subject: "alice", verb: "watch", resource: "widgets", namespace: "shop", want: true},
		{name: "aggregated into edit and admin too", subject: "system:serviceaccount:shop:deployer", verb: "list", resource: "widgets.example.com", namespace: "shop", want: true},
		{name: "view cannot delete", subject: "alice", verb: "delete", resource: "pods", namespace: "shop", want: false},
		{name: "resourceNames restrict", subject: "system:serviceaccount:shop:frontend", verb: "get", resource: "secrets", namespace: "shop", want: false},
		{name: "a RoleBinding never grants nodes", subject: "system:serviceaccount:shop:frontend", verb: "get", resource: "nodes", want: false},
		{name: "everyone authenticated may discover", subject: "carol", verb: "create", resource: "selfsubjectaccessreviews.authorization.k8s.io", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := rbac.ParseSubject(tt.subject, nil)
			if err != nil {
				t.Fatal(err)
			}
			res, err := rbac.ResolveResource(tt.resource, inv)
			if err != nil {
				t.Fatal(err)
			}
			got, grants := p.Can(u, rbac.Request{Verb: tt.verb, Resource: res, Namespace: tt.namespace}, tt.all)
			if got != tt.want {
				t.Errorf("Can = %v, want %v (grants %v)", got, tt.want, grants)
			}
		})
	}
}

func TestBuiltinBindings(t *testing.T) {
	p, inv := policy(t, rbac.Options{BuiltinBindings: true})
	res, err := rbac.ResolveResource("selfsubjectaccessreviews.authorization.k8s.io", inv)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := rbac.ParseSubject("carol", nil)
	if ok, _ := p.Can(u, rbac.Request{Verb: "create", Resource: res}, true); !ok {
		t.Error("system:basic-user lets every authenticated user create selfsubjectaccessreviews")
	}
	masters, _ := rbac.ParseSubject("root", []string{"system:masters"})
	nodes, _ := rbac.ResolveResource("nodes", inv)
	if ok, _ := p.Can(masters, rbac.Request{Verb: "delete", Resource: nodes}, true); !ok {
		t.Error("system:masters is bound to cluster-admin")
	}
}

func TestWhoCan(t *testing.T) {
	p, inv := policy(t, rbac.Options{})
	res, err := rbac.ResolveResource("secrets", inv)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range p.WhoCan(rbac.Request{Verb: "get", Resource: res}, false) {
		got = append(got, g.Subject.Kind+" "+g.Subject.Namespace+"/"+g.Subject.Name+" via "+g.Binding.Name+" "+g.Role.Name+" "+g.Namespace+" "+slicesString(g.ResourceNames))
	}
	want := []string{
		"ServiceAccount shop/frontend via config-reader config-reader shop [shop-config]",
		"ServiceAccount shop/deployer via dev-edit edit shop []",
		"Group /developers via dev-edit edit shop []",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("WhoCan (-want +got):\n%s", diff)
	}
}

func slicesString(s []string) string {
	out := "["
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out + "]"
}

func TestResolveResource(t *testing.T) {
	_, inv := policy(t, rbac.Options{})
	tests := []struct {
		arg     string
		want    rbac.Resource
		wantErr bool
	}{
		{arg: "pods", want: rbac.Resource{Resource: "pods", Namespaced: true}},
		{arg: "pods/exec", want: rbac.Resource{Resource: "pods", Subresource: "exec", Namespaced: true}},
		{arg: "deployments.apps/scale", want: rbac.Resource{Group: "apps", Resource: "deployments", Subresource: "scale", Namespaced: true}},
		{arg: "deployments", want: rbac.Resource{Group: "apps", Resource: "deployments", Namespaced: true}},
		{arg: "nodes", want: rbac.Resource{Resource: "nodes"}},
		{arg: "clusterroles", want: rbac.Resource{Group: "rbac.authorization.k8s.io", Resource: "clusterroles"}},
		{arg: "events", want: rbac.Resource{Resource: "events", Namespaced: true}},
		{arg: "ingresses", want: rbac.Resource{Group: "networking.k8s.io", Resource: "ingresses", Namespaced: true}},
		{arg: "widgets", want: rbac.Resource{Group: "example.com", Resource: "widgets", Namespaced: true}},
		{arg: "*", want: rbac.Resource{Group: "*", Resource: "*", Namespaced: true}},
		{arg: "podz", wantErr: true},
		{arg: "pods.apps", wantErr: true},
		{arg: "/exec", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			got, err := rbac.ResolveResource(tt.arg, inv)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr && got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseSubject(t *testing.T) {
	tests := []struct {
		arg     string
		want    rbac.User
		wantErr bool
	}{
		{arg: "system:serviceaccount:shop:web", want: rbac.User{Name: "system:serviceaccount:shop:web", Groups: []string{"system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated"}}},
		{arg: "serviceaccount:shop:web", want: rbac.User{Name: "system:serviceaccount:shop:web", Groups: []string{"system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated"}}},
		{arg: "alice", want: rbac.User{Name: "alice", Groups: []string{"system:authenticated"}}},
		{arg: "user:alice", want: rbac.User{Name: "alice", Groups: []string{"system:authenticated"}}},
		{arg: "system:anonymous", want: rbac.User{Name: "system:anonymous", Groups: []string{"system:unauthenticated"}}},
		{arg: "group:ops", want: rbac.User{Groups: []string{"ops"}}},
		{arg: "system:serviceaccount:shop", wantErr: true},
		{arg: "group:", wantErr: true},
		{arg: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			got, err := rbac.ParseSubject(tt.arg, nil)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); !tt.wantErr && diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestBuiltinRoles(t *testing.T) {
	for _, name := range []string{"cluster-admin", "admin", "edit", "view", "system:node", "system:controller:deployment-controller"} {
		if !rbac.BuiltinClusterRole(name) {
			t.Errorf("%s is not a built-in ClusterRole", name)
		}
	}
	if rbac.BuiltinClusterRole("widgets-viewer") {
		t.Error("widgets-viewer is not built in")
	}
	p := rbac.Build(nil, rbac.Options{})
	admin, _ := p.ClusterRole("admin")
	view, _ := p.ClusterRole("view")
	if len(p.Rules(admin)) <= len(p.Rules(view)) || len(p.Rules(view)) == 0 {
		t.Errorf("aggregation: admin has %d rules, view %d", len(p.Rules(admin)), len(p.Rules(view)))
	}
	if !slices.ContainsFunc(p.Rules(admin), func(r rbacv1.PolicyRule) bool { return slices.Contains(r.Resources, "rolebindings") }) {
		t.Error("admin aggregates rolebindings from system:aggregate-to-admin")
	}
}
