package engine

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// TestFitsAgreesWithConditions holds the matcher's quick test to the
// conditions that explain a mismatch, over every combination of class,
// access modes, size, volume mode, selector and reservation.
func TestFitsAgreesWithConditions(t *testing.T) {
	block := corev1.PersistentVolumeBlock
	var vols []*volume
	for _, class := range []string{"", "fast"} {
		for _, modes := range [][]corev1.PersistentVolumeAccessMode{{corev1.ReadWriteOnce}, {corev1.ReadWriteOnce, corev1.ReadWriteMany}} {
			for _, size := range []string{"1Gi", "10Gi"} {
				for _, vm := range []*corev1.PersistentVolumeMode{nil, &block} {
					for _, reserved := range []string{"", "db/a", "db/b"} {
						pv := &corev1.PersistentVolume{
							ObjectMeta: metav1.ObjectMeta{Name: "v", Labels: map[string]string{"size": size}},
							Spec:       corev1.PersistentVolumeSpec{StorageClassName: class, AccessModes: modes, VolumeMode: vm},
						}
						vols = append(vols, &volume{obj: &Object{Name: "v"}, pv: pv, class: class, capacity: resource.MustParse(size), reservedFor: reserved})
					}
				}
			}
		}
	}
	var claims []*claim
	for _, class := range []string{"", "fast"} {
		for _, modes := range [][]corev1.PersistentVolumeAccessMode{{corev1.ReadWriteOnce}, {corev1.ReadWriteMany}} {
			for _, size := range []string{"5Gi"} {
				for _, vm := range []*corev1.PersistentVolumeMode{nil, &block} {
					for _, sel := range []labels.Selector{nil, labels.SelectorFromSet(labels.Set{"size": "10Gi"})} {
						pvc := &corev1.PersistentVolumeClaim{Spec: corev1.PersistentVolumeClaimSpec{AccessModes: modes, VolumeMode: vm}}
						claims = append(claims, &claim{obj: &Object{Name: "a", Namespace: "db"}, pvc: pvc, key: "db/a", class: class, request: resource.MustParse(size), selector: sel})
					}
				}
			}
		}
	}
	for _, v := range vols {
		for _, c := range claims {
			if fits(v, c) != (mismatch(v, c) == "") {
				t.Fatalf("fits = %v but mismatch = %q (volume %+v, claim %+v)", fits(v, c), mismatch(v, c), v.pv.Spec, c.pvc.Spec)
			}
		}
	}
}
