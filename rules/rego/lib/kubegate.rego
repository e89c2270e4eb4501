# METADATA
# title: kubegate helper library
# description: |
#   Helpers for policies: the pod spec of any workload and its containers
#   and probes, each with its field path, so a policy's finding points at
#   the right line. User policies may import it (import data.lib.kubegate).
#
#   The sets below hold small [field, index, ...] tuples, not the containers
#   themselves: OPA hashes every member of a set, and hashing whole pod specs
#   for every object would cost more than the checks.
package lib.kubegate

# long_running_kinds restart their pods forever.
long_running_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}

# job_kinds run their pods to completion.
job_kinds := {"Job", "CronJob"}

# pod_spec_path is the path of the input's pod spec; undefined when it has
# none.
pod_spec_path := ["spec"] if {
	input.kind == "Pod"
} else := ["spec", "template", "spec"] if {
	long_running_kinds[input.kind]
} else := ["spec", "template", "spec"] if {
	input.kind == "Job"
} else := ["spec", "jobTemplate", "spec", "template", "spec"] if {
	input.kind == "CronJob"
} else := ["template", "spec"] if {
	input.kind == "PodTemplate"
}

# pod_spec is the input's pod spec; undefined when it has none.
pod_spec := spec if {
	spec := object.get(input, pod_spec_path, null)
	is_object(spec)
}

# pod_class is "long-running" (restarted forever), "batch" (runs to
# completion) or "template" (a PodTemplate).
pod_class := "template" if {
	input.kind == "PodTemplate"
} else := "batch" if {
	job_kinds[input.kind]
} else := "batch" if {
	input.kind == "Pod"
	pod_spec.restartPolicy in {"OnFailure", "Never"}
} else := "long-running" if {
	pod_spec
}

# container_refs yields [field, index] for every init container
# ("initContainers") and container ("containers") of the pod spec.
container_refs contains [f, i] if {
	some f in ["initContainers", "containers"]
	some i, _ in object.get(pod_spec, f, [])
}

# container returns the container a ref names.
container(ref) := pod_spec[ref[0]][ref[1]]

# container_path returns the field path of the container a ref names.
container_path(ref) := array.concat(pod_spec_path, [ref[0], ref[1]])

# container_name returns the name of the container a ref names.
container_name(ref) := object.get(container(ref), "name", "(unnamed)")

# probe_kinds are the probe fields of a container.
probe_kinds := ["livenessProbe", "readinessProbe", "startupProbe"]

# probe_refs yields [field, index, probe kind] for every probe.
probe_refs contains [ref[0], ref[1], kind] if {
	some ref in container_refs
	some kind in probe_kinds
	is_object(container(ref)[kind])
}

# probes maps every probe ref (as probe_refs yields them) to the probe:
# `some r, p in kubegate.probes` gives both in one step, which evaluates
# several times faster than calling probe(r) for each ref.
probes[[f, i, kind]] := p if {
	some f in ["initContainers", "containers"]
	some i, c in object.get(pod_spec, f, [])
	some kind in probe_kinds
	p := c[kind]
	is_object(p)
}

# probe_name returns how messages call the probe a probe ref names:
# "liveness probe", "readiness probe" or "startup probe".
probe_name(ref) := {"livenessProbe": "liveness probe", "readinessProbe": "readiness probe", "startupProbe": "startup probe"}[ref[2]]

# probe returns the probe a probe ref names.
probe(ref) := pod_spec[ref[0]][ref[1]][ref[2]]

# probe_path returns the field path of the probe a probe ref names.
probe_path(ref) := array.concat(pod_spec_path, ref)

# linux_pod holds unless the pod spec says it runs on Windows, where the
# Linux-only security settings (capabilities, seccomp, AppArmor, SELinux,
# readOnlyRootFilesystem, procMount) do not apply and the API server
# forbids them.
linux_pod if {
	pod_spec
	object.get(pod_spec, ["os", "name"], "linux") != "windows"
}

# pod_security_context is the pod's securityContext, or {}.
pod_security_context := object.get(pod_spec, "securityContext", {})

# security_value(ref, field) is the container's securityContext field when
# set, else the pod's, else null: the kubelet's rule for the fields both
# levels carry (runAsUser, runAsGroup, runAsNonRoot, seccompProfile,
# appArmorProfile, seLinuxOptions, windowsOptions). It is always defined, so
# policies compare it (`security_value(ref, "runAsNonRoot") != true`)
# rather than negate it.
security_value(ref, field) := object.get(
	object.get(container(ref), "securityContext", {}), field,
	object.get(pod_security_context, field, null),
)

# security_path(ref, field) is where security_value(ref, field) was
# written, or the container's securityContext (or the container) when
# neither level sets it: the place a fix goes.
security_path(ref, field) := array.concat(container_path(ref), ["securityContext", field]) if {
	container(ref).securityContext[field] != null
} else := array.concat(pod_spec_path, ["securityContext", field]) if {
	pod_security_context[field] != null
} else := array.concat(container_path(ref), ["securityContext"]) if {
	is_object(container(ref).securityContext)
} else := container_path(ref)

# container_security_path(ref, field) is the container-level path of a
# field that only containers carry (privileged, allowPrivilegeEscalation,
# capabilities, readOnlyRootFilesystem, procMount), or the nearest
# existing parent.
container_security_path(ref, field) := array.concat(container_path(ref), ["securityContext", field]) if {
	container(ref).securityContext[field] != null
} else := array.concat(container_path(ref), ["securityContext"]) if {
	is_object(container(ref).securityContext)
} else := container_path(ref)

# image_ref(image) splits an image reference into {"name", "tag",
# "digest"}: the tag follows the last ":" after the last "/" (so a
# registry's port is not a tag) and the digest follows "@".
image_ref(image) := {"name": name, "tag": tag, "digest": digest} if {
	parts := split(image, "@")
	digest := concat("@", array.slice(parts, 1, count(parts)))
	segs := split(parts[0], "/")
	last := segs[count(segs) - 1]
	nt := split(last, ":")
	tag := concat(":", array.slice(nt, 1, count(nt)))
	name := trim_suffix(parts[0], concat("", [":", tag]))
}

# pull_policy_default(image) is the imagePullPolicy the API server fills in
# when none is set: Always for an untagged or :latest image without a
# digest, IfNotPresent otherwise.
pull_policy_default(image) := "Always" if {
	ir := image_ref(image)
	ir.digest == ""
	ir.tag in {"", "latest"}
} else := "IfNotPresent"

# rbac_grants(rule, group, resource, verb) holds when an RBAC PolicyRule
# allows verb on resource (written "pods" or "pods/exec") of group, the
# way the RBAC authorizer matches: "*" matches any verb, group or
# resource, and "*/exec" any resource's exec subresource. resourceNames
# are not looked at; callers decide whether they limit the grant.
rbac_grants(rule, group, resource, verb) if {
	_rbac_has(object.get(rule, "apiGroups", []), group)
	_rbac_resource(object.get(rule, "resources", []), resource)
	_rbac_has(object.get(rule, "verbs", []), verb)
}

_rbac_has(list, x) if x in list

_rbac_has(list, _) if "*" in list

_rbac_resource(list, r) if _rbac_has(list, r)

_rbac_resource(list, r) if {
	some w in list
	startswith(w, "*/")
	endswith(r, substring(w, 1, -1))
	contains(r, "/")
}

# rbac_rule_refs yields the index of every rule of a Role or ClusterRole
# that takes effect: an aggregated ClusterRole's own rules are replaced by
# the controller, so none of them count.
rbac_rule_refs contains i if {
	input.kind in {"Role", "ClusterRole"}
	not input.aggregationRule
	some i, _ in object.get(input, "rules", [])
}
