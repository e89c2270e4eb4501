//go:build integration

package integration

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestStartGCRunsFirst holds package startgc to what its doc claims: in the
// kubegate binary it is initialised before the packages that allocate most
// at start-up, so that their garbage meets the raised GOGC. It reads the
// order from the runtime's own init trace.
func TestStartGCRunsFirst(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "kubegate")
	build := exec.Command("go", "build", "-o", bin, "./cmd/kubegate")
	build.Dir = repoRoot(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("kubegate version: %v\n%s", err, out)
	}
	order := map[string]int{}
	for i, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "init" {
			order[f[1]] = i
		}
	}
	const startgc = "github.com/kubegate/kubegate/cmd/kubegate/internal/startgc"
	at, ok := order[startgc]
	if !ok {
		t.Fatalf("the init trace has no %s: is it still imported by main?\n%s", startgc, out)
	}
	for _, heavy := range []string{
		"github.com/santhosh-tekuri/jsonschema/v6",
		"github.com/open-policy-agent/opa/v1/ast",
		"k8s.io/client-go/kubernetes/scheme",
		"k8s.io/component-base/metrics/legacyregistry",
	} {
		h, ok := order[heavy]
		if !ok {
			t.Errorf("the init trace has no %s; update this list of heavy packages", heavy)
			continue
		}
		if h < at {
			t.Errorf("%s is initialised before startgc (line %d, startgc at %d)", heavy, h, at)
		}
	}
}
