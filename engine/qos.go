package engine

import (
	corev1 "k8s.io/api/core/v1"
)

// QOSClass computes the QoS class the kubelet gives a pod with this spec,
// after the API server's defaulting: a container (or pod-level) request that
// is unset defaults to its limit.
//
// It follows the kubelet's ComputePodQOS (pkg/apis/core/v1/helper/qos):
// only cpu and memory count; init containers count like containers;
// when pod-level resources are set they decide alone; a pod is Guaranteed
// when every container has cpu and memory limits and every request equals
// its limit, BestEffort when nothing has a request or limit, Burstable
// otherwise. The API core reuses it to report status.qosClass.
func QOSClass(spec *corev1.PodSpec) corev1.PodQOSClass {
	requests := corev1.ResourceList{}
	limits := corev1.ResourceList{}
	guaranteed := true
	if spec.Resources != nil && (len(spec.Resources.Requests) > 0 || len(spec.Resources.Limits) > 0) {
		req := defaultedRequests(*spec.Resources)
		addQOSResources(requests, req)
		if len(spec.Resources.Limits) > 0 {
			if !addQOSResources(limits, spec.Resources.Limits) {
				guaranteed = false
			}
		}
	} else {
		all := make([]corev1.Container, 0, len(spec.Containers)+len(spec.InitContainers))
		all = append(all, spec.Containers...)
		all = append(all, spec.InitContainers...)
		for _, c := range all {
			addQOSResources(requests, defaultedRequests(c.Resources))
			if !addQOSResources(limits, c.Resources.Limits) {
				guaranteed = false
			}
		}
	}
	if len(requests) == 0 && len(limits) == 0 {
		return corev1.PodQOSBestEffort
	}
	if guaranteed {
		for name, req := range requests {
			if lim, ok := limits[name]; !ok || lim.Cmp(req) != 0 {
				guaranteed = false
				break
			}
		}
	}
	if guaranteed && len(requests) == len(limits) {
		return corev1.PodQOSGuaranteed
	}
	return corev1.PodQOSBurstable
}

// defaultedRequests applies the API server's defaulting: a resource with a
// limit and no request gets a request equal to the limit.
func defaultedRequests(r corev1.ResourceRequirements) corev1.ResourceList {
	if len(r.Limits) == 0 {
		return r.Requests
	}
	out := make(corev1.ResourceList, len(r.Requests)+len(r.Limits))
	for k, v := range r.Requests {
		out[k] = v
	}
	for k, v := range r.Limits {
		if _, set := out[k]; !set {
			out[k] = v
		}
	}
	return out
}

// addQOSResources adds the positive cpu and memory quantities of from into
// into, and reports whether from had both.
func addQOSResources(into, from corev1.ResourceList) (hasCPUAndMemory bool) {
	var cpu, mem bool
	for name, q := range from {
		if name != corev1.ResourceCPU && name != corev1.ResourceMemory {
			continue
		}
		if q.Sign() <= 0 {
			continue
		}
		sum := q.DeepCopy()
		if prev, ok := into[name]; ok {
			sum.Add(prev)
		}
		into[name] = sum
		cpu = cpu || name == corev1.ResourceCPU
		mem = mem || name == corev1.ResourceMemory
	}
	return cpu && mem
}
