package rules

import (
	"fmt"
	"testing"

	"github.com/kubegate/kubegate/engine"
)

// TestRegoArg checks that regoArg makes fmt print what OPA's sprintf
// printed for the policies' %q of a value of any type (the expectations
// are the policies' output).
func TestRegoArg(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{v: "app", want: `"app"`},
		{v: nil, want: `"null"`},
		{v: true, want: `"true"`},
		{v: int64(5), want: `'\x05'`},
		{v: float64(5), want: `'\x05'`},
		{v: 5.5, want: `%!q(float64=5.5)`},
		{v: 1e6, want: `%!q(float64=1e+06)`},
		{v: 18446744073709551615.0, want: `%!q(float64=1.8446744073709552e+19)`},
		{v: []any{}, want: `"[]"`},
		{v: map[string]any{}, want: `"{}"`},
		{v: map[string]any{"b": []any{int64(1), 2.5, nil, true, "x\ty"}, "a": map[string]any{}}, want: `"{\"a\": {}, \"b\": [1, 2.5, null, true, \"x\\ty\"]}"`},
	}
	for _, tt := range tests {
		if got := fmt.Sprintf("%q", regoArg(tt.v)); got != tt.want {
			t.Errorf("%%q of regoArg(%#v) = %s; want %s", tt.v, got, tt.want)
		}
	}
}

// TestContainersOfMapping checks that Containers looks inside a mapping
// written where the container list belongs, as the lib's container_refs
// does, in key order and at each key.
func TestContainersOfMapping(t *testing.T) {
	spec := map[string]any{
		"initContainers": []any{map[string]any{"name": "init"}, "not a container"},
		"containers": map[string]any{
			"b": map[string]any{"name": "b"},
			"a": map[string]any{},
			"c": int64(5),
		},
	}
	got := rawPod{Spec: spec, Path: engine.NewPath("spec")}.Containers()
	want := []string{`spec.initContainers[0] "init"`, `spec.containers.a "(unnamed)"`, `spec.containers.b "b"`}
	if len(got) != len(want) {
		t.Fatalf("Containers() = %v; want %d containers", got, len(want))
	}
	for i, c := range got {
		if s := fmt.Sprintf("%s %q", c.Path, containerNameArg(c)); s != want[i] {
			t.Errorf("container %d = %s; want %s", i, s, want[i])
		}
	}
}
