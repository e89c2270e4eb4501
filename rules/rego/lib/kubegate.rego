# METADATA
# title: kubegate helper library
# description: |
#   Helpers for policies: the pod specs and containers of any workload, with
#   the field path of each, so a policy's finding points at the right line.
#   User policies may import it (import data.lib.kubegate).
package lib.kubegate

# long_running_kinds restart their pods forever.
long_running_kinds := {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}

# batch_kinds run their pods to completion.
batch_kinds := {"Job"}

# pod_specs yields {"spec", "path", "class"} for the pod spec of the input:
# class is "long-running", "batch" or "template".
pod_specs contains {"spec": input.spec, "path": ["spec"], "class": pod_class(input.spec)} if {
	input.kind == "Pod"
	is_object(input.spec)
}

pod_specs contains {"spec": spec, "path": ["spec", "template", "spec"], "class": "long-running"} if {
	long_running_kinds[input.kind]
	spec := input.spec.template.spec
	is_object(spec)
}

pod_specs contains {"spec": spec, "path": ["spec", "template", "spec"], "class": "batch"} if {
	batch_kinds[input.kind]
	spec := input.spec.template.spec
	is_object(spec)
}

pod_specs contains {"spec": spec, "path": ["spec", "jobTemplate", "spec", "template", "spec"], "class": "batch"} if {
	input.kind == "CronJob"
	spec := input.spec.jobTemplate.spec.template.spec
	is_object(spec)
}

pod_specs contains {"spec": spec, "path": ["template", "spec"], "class": "template"} if {
	input.kind == "PodTemplate"
	spec := input.template.spec
	is_object(spec)
}

# pod_class is the class of a bare Pod: restartPolicy Always (the default)
# restarts forever.
pod_class(spec) := "batch" if {
	spec.restartPolicy in {"OnFailure", "Never"}
} else := "long-running"

# containers yields {"container", "path", "init", "pod"} for every container
# and init container of every pod spec of the input.
containers contains {"container": c, "path": array.concat(p.path, ["containers", i]), "init": false, "pod": p} if {
	some p in pod_specs
	some i, c in object.get(p.spec, "containers", [])
}

containers contains {"container": c, "path": array.concat(p.path, ["initContainers", i]), "init": true, "pod": p} if {
	some p in pod_specs
	some i, c in object.get(p.spec, "initContainers", [])
}

# probe_kinds are the probe fields of a container.
probe_kinds := ["livenessProbe", "readinessProbe", "startupProbe"]

# probes yields {"probe", "kind", "path", "container"} for every probe.
probes contains {"probe": probe, "kind": kind, "path": array.concat(c.path, [kind]), "container": c} if {
	some c in containers
	some kind in probe_kinds
	probe := c.container[kind]
	is_object(probe)
}

# name_of is a container's name for messages.
name_of(c) := object.get(c.container, "name", "(unnamed)")
