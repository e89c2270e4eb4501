package fix

import (
	"strings"
	"testing"
)

// TestSameShape is the last guard of File: a fixed text that lint would
// read differently from the original is refused.
func TestSameShape(t *testing.T) {
	const before = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\n"
	tests := []struct {
		name, after, wantErr string
	}{
		{name: "same objects", after: strings.Replace(before, "name: a\n", "name: a\n  labels: {x: y}\n", 1)},
		{name: "does not parse", after: strings.Replace(before, "name: a", "name: [a", 1), wantErr: "does not parse"},
		{name: "an object lost", after: strings.Replace(before, "---\n", "", 1), wantErr: "the fixed text"},
		{name: "an object renamed", after: strings.Replace(before, "name: b", "name: c", 1), wantErr: "changed from Secret b to Secret c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sameShape("x.yaml", []byte(before), []byte(tt.after))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("sameShape = %v, want nil", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("sameShape = %v, want an error with %q", err, tt.wantErr)
			}
		})
	}
}
