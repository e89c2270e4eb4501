# METADATA
# title: The app.kubernetes.io/instance label names the object
# description: |
#   Polaris expects every workload to carry the recommended label
#   app.kubernetes.io/instance with the object's own name, so that the
#   instance shown by dashboards and selectors is the object itself. Helm
#   sets it to the release name instead, which often differs: off by
#   default. Matches Polaris' metadataAndInstanceMismatched.
# custom:
#   id: instance-label
#   severity: info
#   disabled: true
#   remediation: Set metadata.labels["app.kubernetes.io/instance"] to metadata.name.
#   kinds: [Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.instance_label

deny contains {"msg": msg, "path": ["metadata", "labels"]} if {
	got := object.get(input, ["metadata", "labels", "app.kubernetes.io/instance"], null)
	got != input.metadata.name
	msg := sprintf("label app.kubernetes.io/instance is %v, not the object's name %q", [json.marshal(got), input.metadata.name])
}
