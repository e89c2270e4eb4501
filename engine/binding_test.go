package engine_test

import (
	"strings"
	"testing"

	"github.com/kubegate/kubegate/engine"
	"github.com/kubegate/kubegate/engine/manifest"
)

// Building blocks for the binding cases.
const (
	fastClass = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: fast
provisioner: ebs.csi.aws.com
`
	defaultClass = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
provisioner: ebs.csi.aws.com
volumeBindingMode: WaitForFirstConsumer
`
	localClass = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local
provisioner: kubernetes.io/no-provisioner
`
)

func pv(name, class, size, modes string, extra string) string {
	return `apiVersion: v1
kind: PersistentVolume
metadata:
  name: ` + name + `
  labels:
    tier: ` + name + `
spec:
  storageClassName: "` + class + `"
  capacity:
    storage: ` + size + `
  accessModes: [` + modes + `]
  hostPath:
    path: /data/` + name + `
` + extra
}

func pvc(name, class, size, modes string, extra string) string {
	s := `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ` + name + `
  namespace: db
spec:
  accessModes: [` + modes + `]
  resources:
    requests:
      storage: ` + size + `
`
	if class != "-" {
		s += `  storageClassName: "` + class + `"
`
	}
	return s + extra
}

func TestPredictBindings(t *testing.T) {
	tests := []struct {
		name    string
		docs    []string
		want    map[string]string // claim name -> ClaimBinding.String()
		certain map[string]bool   // claims whose Pending is certain
		rival   map[string]string // claim -> rival claim
	}{
		{
			name: "smallest volume that fits",
			docs: []string{
				pv("big", "fast", "100Gi", "ReadWriteOnce", ""),
				pv("small", "fast", "10Gi", "ReadWriteOnce", ""),
				pv("tiny", "fast", "1Gi", "ReadWriteOnce", ""),
				pvc("data", "fast", "5Gi", "ReadWriteOnce", ""),
			},
			want: map[string]string{"data": "volume small"},
		},
		{
			name: "class, modes, mode and selector must match; else provisioned",
			docs: []string{
				fastClass,
				pv("other-class", "slow", "10Gi", "ReadWriteOnce", ""),
				pv("rwo", "fast", "10Gi", "ReadWriteOnce", ""),
				pv("block", "fast", "10Gi", "ReadWriteMany", "  volumeMode: Block\n"),
				pv("unlabelled", "fast", "10Gi", "ReadWriteMany", ""),
				pvc("shared", "fast", "5Gi", "ReadWriteMany", "  selector:\n    matchLabels:\n      tier: gold\n"),
			},
			want: map[string]string{"shared": "dynamic via fast"},
		},
		{
			name:  "unset class takes the default class",
			docs:  []string{defaultClass, pv("std", "standard", "10Gi", "ReadWriteOnce", ""), pvc("a", "-", "1Gi", "ReadWriteOnce", ""), pvc("b", "-", "1Gi", "ReadWriteOnce", "")},
			want:  map[string]string{"a": "volume std", "b": "dynamic via standard, once a pod uses it"},
			rival: map[string]string{"b": "a"},
		},
		{
			name:    "two claims race for one volume without a class",
			docs:    []string{pv("only", "", "10Gi", "ReadWriteOnce", ""), pvc("first", "", "1Gi", "ReadWriteOnce", ""), pvc("second", "", "1Gi", "ReadWriteOnce", "")},
			want:    map[string]string{"first": "volume only", "second": `pending: storageClassName is "", so only a volume without a class can bind it, and none does; closest is PersistentVolume only, whose claim is db/first, which binds it first`},
			certain: map[string]bool{"second": true},
			rival:   map[string]string{"second": "first"},
		},
		{
			name: "claimRef reserves a volume, volumeName pre-binds one",
			docs: []string{
				pv("reserved", "", "10Gi", "ReadWriteOnce", "  claimRef:\n    namespace: db\n    name: owner\n"),
				pv("named", "", "10Gi", "ReadWriteOnce", ""),
				pvc("intruder", "", "1Gi", "ReadWriteOnce", ""),
				pvc("owner", "", "1Gi", "ReadWriteOnce", ""),
				pvc("pinned", "", "1Gi", "ReadWriteOnce", "  volumeName: named\n"),
			},
			want: map[string]string{
				"pinned":   "volume named",
				"owner":    "volume reserved",
				"intruder": `pending: storageClassName is "", so only a volume without a class can bind it, and none does; closest is PersistentVolume named, whose claim is db/pinned, which binds it first`,
			},
			certain: map[string]bool{"intruder": true},
		},
		{
			name:    "too small, with the closest volume named",
			docs:    []string{localClass, pv("l1", "local", "5Gi", "ReadWriteOnce", ""), pv("l2", "other", "1Gi", "ReadOnlyMany", ""), pvc("big", "local", "50Gi", "ReadWriteOnce", "")},
			want:    map[string]string{"big": `pending: storage class "local" has no provisioner (kubernetes.io/no-provisioner), so only a matching volume can bind it, and none does; closest is PersistentVolume l1, whose capacity 5Gi is less than the 50Gi requested`},
			certain: map[string]bool{"big": true},
		},
		{
			name:    "a class missing from a set that has classes",
			docs:    []string{fastClass, pvc("c", "gold", "1Gi", "ReadWriteOnce", "")},
			want:    map[string]string{"c": `pending: storage class "gold" is not in the set (it has fast)`},
			certain: map[string]bool{"c": true},
		},
		{
			name: "a set without classes or volumes trusts the cluster",
			docs: []string{pvc("c", "gold", "1Gi", "ReadWriteOnce", ""), pvc("d", "-", "1Gi", "ReadWriteOnce", ""), pvc("e", "-", "1Gi", "ReadWriteOnce", "  volumeName: elsewhere\n")},
			want: map[string]string{"c": "dynamic via gold", "d": "dynamic via the cluster's default class", "e": `pending: volumeName "elsewhere" names no PersistentVolume in the set`},
		},
		{
			name:    "no class and no default among the set's classes",
			docs:    []string{fastClass, pvc("c", "-", "1Gi", "ReadWriteOnce", "")},
			want:    map[string]string{"c": "pending: it names no storage class and no StorageClass in the set is the default, so nothing provisions it, and no volume without a class fits"},
			certain: map[string]bool{"c": true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			objs, errs := manifest.NewParser(manifest.DefaultLimits()).Parse("b.yaml", []byte(strings.Join(tt.docs, "---\n")))
			if len(errs) > 0 {
				t.Fatal(errs[0])
			}
			b := engine.BindingsOf(engine.NewInventory(objs))
			got := map[string]string{}
			for _, cb := range b.All() {
				got[cb.Claim.Name] = cb.String()
				if cb.Kind == engine.Pending && cb.Certain != tt.certain[cb.Claim.Name] {
					t.Errorf("%s: Certain = %v", cb.Claim.Name, cb.Certain)
				}
				rival := ""
				if cb.Rival != nil {
					rival = cb.Rival.Name
				}
				if rival != tt.rival[cb.Claim.Name] {
					t.Errorf("%s: rival %q, want %q", cb.Claim.Name, rival, tt.rival[cb.Claim.Name])
				}
			}
			for name, want := range tt.want {
				if got[name] != want {
					t.Errorf("%s:\n got  %s\n want %s", name, got[name], want)
				}
			}
		})
	}
}
