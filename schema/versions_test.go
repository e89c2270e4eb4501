package schema

import (
	"strings"
	"testing"
)

// TestEveryKindOfEveryRelease compiles the embedded schema of every
// built-in kind of every release and validates an object of it, offline:
// a broken or missing blob fails here, not in a user's run.
func TestEveryKindOfEveryRelease(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles about 470 schemas; skipped with -short")
	}
	versions := Versions()
	if len(versions) != 5 || versions[0].String() != "1.33" || versions[4] != Latest() {
		t.Fatalf("embedded releases = %v, want 1.33 to %s", versions, Latest())
	}
	for _, v := range versions {
		reg, err := New(v)
		if err != nil {
			t.Fatal(err)
		}
		kinds := reg.AllKinds()
		if len(kinds) < 150 {
			t.Errorf("%s: only %d kinds", v, len(kinds))
		}
		for _, k := range kinds {
			apiVersion, kind, _ := strings.Cut(k, " ")
			obj := map[string]any{"apiVersion": apiVersion, "kind": kind, "metadata": map[string]any{"name": "x"}, "zzUnknown": true}
			errs, status, err := reg.Validate(apiVersion, kind, obj)
			if err != nil || status != BuiltinKind {
				t.Fatalf("%s %s: status %v, err %v", v, k, status, err)
			}
			// Every kind rejects an unknown top-level field.
			found := false
			for _, e := range errs {
				found = found || (e.Type == UnknownField && len(e.Path) == 1 && e.Path[0] == "zzUnknown")
			}
			if !found {
				t.Errorf("%s %s: unknown field not reported: %+v", v, k, errs)
			}
		}
	}
}
