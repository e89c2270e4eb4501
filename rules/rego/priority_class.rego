# METADATA
# title: Pods name a priority class
# description: |
#   Without priorityClassName a pod gets the cluster's global default
#   priority (usually 0), so under pressure the scheduler may preempt it
#   for any pod with a class, and it cannot preempt anything itself. Off
#   by default: it matters in clusters that use priority classes. Matches
#   Polaris' priorityClassNotSet and kube-linter's priority-class-name.
# custom:
#   id: priority-class
#   severity: info
#   disabled: true
#   remediation: Set priorityClassName to one of the cluster's PriorityClasses.
#   kinds: [Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob]
package kubegate.rules.priority_class

import data.lib.kubegate

deny contains {"msg": "the pod names no priorityClassName, so it runs at the cluster's default priority", "path": kubegate.pod_spec_path} if {
	kubegate.pod_class != "template"
	object.get(kubegate.pod_spec, "priorityClassName", "") == ""
}
