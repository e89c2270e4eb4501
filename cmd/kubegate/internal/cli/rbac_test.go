package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestRbacCommands(t *testing.T) {
	repoRoot(t)
	const broken = "testdata/bundles/webshop/broken"
	const operator = "testdata/bundles/operator/broken"
	tests := []struct {
		name       string
		args       []string
		stdin      string
		wantCode   int
		wantOut    []string // substrings of stdout
		wantNotOut []string
		wantErr    string // substring of stderr
	}{
		{
			name:     "who-can names the binding and the built-in role",
			args:     []string{"rbac", "who-can", "get", "secrets", broken},
			wantCode: ExitOK,
			wantOut: []string{
				"ServiceAccount shop/frontend  all namespaces  ClusterRoleBinding frontend-debug (testdata/bundles/webshop/broken/10-rbac.yaml:",
				"ClusterRole cluster-admin (built-in)",
				"ServiceAccount shop/cart",
			},
		},
		{
			name:       "all namespaces keeps cluster-wide grants only",
			args:       []string{"rbac", "who-can", "get", "secrets", "-A", broken},
			wantCode:   ExitOK,
			wantOut:    []string{"ServiceAccount shop/frontend"},
			wantNotOut: []string{"ServiceAccount shop/cart"},
		},
		{
			name:     "nobody",
			args:     []string{"rbac", "who-can", "delete", "nodes", "testdata/bundles/webshop/clean"},
			wantCode: ExitOK,
			wantOut:  []string{"no subject may delete nodes\n"},
		},
		{
			name:     "can: yes through cluster-admin",
			args:     []string{"rbac", "can", "system:serviceaccount:shop:frontend", "delete", "nodes", broken},
			wantCode: ExitOK,
			wantOut:  []string{"yes\n", "ClusterRoleBinding frontend-debug"},
		},
		{
			name:     "can: resourceNames limit the answer",
			args:     []string{"rbac", "can", "serviceaccount:shop:cart", "get", "configmaps", "-n", "shop", "testdata/bundles/webshop/clean"},
			wantCode: ExitFindings,
			wantOut:  []string{"no\n", "only cart-flags"},
		},
		{
			name:     "can: built-in bindings on request",
			args:     []string{"rbac", "can", "alice", "create", "pods/exec", "-n", "shop", "--group", "system:masters", "--builtin-bindings", operator},
			wantCode: ExitOK,
			wantOut:  []string{"ClusterRoleBinding cluster-admin (built-in)"},
		},
		{
			name:     "can: not without them",
			args:     []string{"rbac", "can", "alice", "create", "pods/exec", "-n", "shop", "--group", "system:masters", operator},
			wantCode: ExitFindings,
			wantOut:  []string{"no\n"},
		},
		{
			name:     "can: the operator's custom resources",
			args:     []string{"rbac", "can", "system:serviceaccount:backup-system:backup-operator", "update", "backupschedules.backup.example.com/status", "-n", "billing", "testdata/bundles/operator/clean"},
			wantCode: ExitOK,
			wantOut:  []string{"yes\n"},
		},
		{
			name:     "stdin",
			args:     []string{"rbac", "can", "bob", "get", "pods", "-n", "dev", "-"},
			stdin:    "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b, namespace: dev}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects: [{kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}]\n",
			wantCode: ExitOK,
			wantOut:  []string{"yes\n", "RoleBinding dev/b (<stdin>:1) -> ClusterRole view (built-in) aggregated as User bob"},
		},
		{
			name:     "unknown resource",
			args:     []string{"rbac", "who-can", "get", "podz", broken},
			wantCode: ExitError,
			wantErr:  `resolve resource "podz"`,
		},
		{
			name:     "bad subject",
			args:     []string{"rbac", "can", "system:serviceaccount:shop", "get", "pods", broken},
			wantCode: ExitError,
			wantErr:  "want system:serviceaccount:NAMESPACE:NAME",
		},
		{
			name:     "unreadable input still answers",
			args:     []string{"rbac", "who-can", "get", "secrets", broken, "does/not/exist.yaml"},
			wantCode: ExitError,
			wantOut:  []string{"ServiceAccount shop/frontend"},
			wantErr:  "does/not/exist.yaml",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, tt.stdin, tt.args...)
			checkRun(t, code, out, errOut, tt.wantCode, tt.wantOut, tt.wantNotOut, tt.wantErr)
		})
	}
}

func TestRbacJSON(t *testing.T) {
	repoRoot(t)
	code, out, errOut := run(t, "", "rbac", "can", "system:serviceaccount:shop:frontend", "get", "secrets", "-n", "shop", "-o", "json", "testdata/bundles/webshop/broken")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Allowed *bool `json:"allowed"`
		Grants  []struct {
			Binding struct {
				Name string `json:"name"`
				File string `json:"file"`
			} `json:"binding"`
			Role struct {
				Name    string `json:"name"`
				Builtin bool   `json:"builtin"`
			} `json:"role"`
		} `json:"grants"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if got.Allowed == nil || !*got.Allowed || len(got.Grants) != 1 || got.Grants[0].Binding.Name != "frontend-debug" ||
		!got.Grants[0].Role.Builtin || !strings.HasSuffix(got.Grants[0].Binding.File, "10-rbac.yaml") {
		t.Errorf("unexpected answer:\n%s", out)
	}
}
