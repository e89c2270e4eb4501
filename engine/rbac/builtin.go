package rbac

import (
	"embed"
	"fmt"
	"sync"

	rbacv1 "k8s.io/api/rbac/v1"
	"sigs.k8s.io/yaml"
)

//go:embed data/*.yaml
var data embed.FS

// bootstrap is the kube-apiserver's bootstrap policy.
type bootstrap struct {
	roles    []*Role
	bindings []*Binding
}

// builtin parses the embedded bootstrap policy once per process; it is
// immutable after that and shared by every Policy.
var builtin = sync.OnceValue(func() *bootstrap {
	b, err := loadBootstrap()
	if err != nil {
		// The data is embedded and checked by a test: failing here is a
		// build defect, not an input error.
		panic(err)
	}
	return b
})

func loadBootstrap() (*bootstrap, error) {
	out := &bootstrap{}
	files, err := data.ReadDir("data")
	if err != nil {
		return nil, fmt.Errorf("read bootstrap policy: %w", err)
	}
	for _, f := range files {
		raw, err := data.ReadFile("data/" + f.Name())
		if err != nil {
			return nil, fmt.Errorf("read bootstrap policy: %w", err)
		}
		var list struct {
			Items []struct {
				Kind string `json:"kind"`
			} `json:"items"`
		}
		if err := yaml.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("parse bootstrap policy %s: %w", f.Name(), err)
		}
		if len(list.Items) == 0 {
			return nil, fmt.Errorf("parse bootstrap policy %s: no items", f.Name())
		}
		switch list.Items[0].Kind {
		case KindClusterRole:
			var l rbacv1.ClusterRoleList
			if err := yaml.Unmarshal(raw, &l); err != nil {
				return nil, fmt.Errorf("parse bootstrap policy %s: %w", f.Name(), err)
			}
			for _, r := range l.Items {
				out.roles = append(out.roles, &Role{Kind: KindClusterRole, Name: r.Name, Labels: r.Labels, Rules: r.Rules, Aggregation: r.AggregationRule})
			}
		case KindRole:
			var l rbacv1.RoleList
			if err := yaml.Unmarshal(raw, &l); err != nil {
				return nil, fmt.Errorf("parse bootstrap policy %s: %w", f.Name(), err)
			}
			for _, r := range l.Items {
				out.roles = append(out.roles, &Role{Kind: KindRole, Namespace: r.Namespace, Name: r.Name, Labels: r.Labels, Rules: r.Rules})
			}
		case KindClusterRoleBinding:
			var l rbacv1.ClusterRoleBindingList
			if err := yaml.Unmarshal(raw, &l); err != nil {
				return nil, fmt.Errorf("parse bootstrap policy %s: %w", f.Name(), err)
			}
			for _, b := range l.Items {
				out.bindings = append(out.bindings, &Binding{Kind: KindClusterRoleBinding, Name: b.Name, RoleRef: b.RoleRef, Subjects: b.Subjects})
			}
		case KindRoleBinding:
			var l rbacv1.RoleBindingList
			if err := yaml.Unmarshal(raw, &l); err != nil {
				return nil, fmt.Errorf("parse bootstrap policy %s: %w", f.Name(), err)
			}
			for _, b := range l.Items {
				out.bindings = append(out.bindings, &Binding{Kind: KindRoleBinding, Namespace: b.Namespace, Name: b.Name, RoleRef: b.RoleRef, Subjects: b.Subjects})
			}
		default:
			return nil, fmt.Errorf("parse bootstrap policy %s: unexpected kind %q", f.Name(), list.Items[0].Kind)
		}
	}
	return out, nil
}

// BuiltinClusterRole reports whether every kube-apiserver creates a
// ClusterRole of that name.
func BuiltinClusterRole(name string) bool {
	for _, r := range builtin().roles {
		if r.Kind == KindClusterRole && r.Name == name {
			return true
		}
	}
	return false
}
