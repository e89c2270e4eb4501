# METADATA
# title: Objects carry a team label
# custom:
#   id: team-label
#   severity: warning
#   remediation: Add metadata.labels.team.
package user.labels

import data.lib.kubegate

deny contains {"msg": msg, "path": ["metadata", "labels"]} if {
	not input.metadata.labels.team
	msg := sprintf("%s %q has no team label", [input.kind, input.metadata.name])
}

# A string result, conftest style, located at the object.
warn contains msg if {
	some r in kubegate.container_refs
	endswith(kubegate.container(r).image, ":latest")
	msg := sprintf("container %q uses a latest tag", [kubegate.container_name(r)])
}

# The inventory: a Service must select some Deployment in its namespace.
violation contains {"msg": msg, "path": "spec.selector"} if {
	input.kind == "Service"
	ns := object.get(input.metadata, "namespace", "default")
	deployments := object.get(data.inventory.namespace, [ns, "apps/v1", "Deployment"], {})
	count([d | some d in deployments; matches(d, input.spec.selector)]) == 0
	msg := sprintf("service %q selects no Deployment in namespace %q", [input.metadata.name, ns])
}

matches(d, sel) if {
	labels := object.get(d.spec.template.metadata, "labels", {})
	every k, v in sel {
		labels[k] == v
	}
}
