# METADATA
# title: Deployments update without downtime
# description: |
#   strategy Recreate stops every old pod before starting new ones, so the
#   Deployment serves nothing during each rollout. RollingUpdate (the
#   default) replaces pods a few at a time. Recreate is right only when two
#   versions must never run together (for example a single writer to a
#   ReadWriteOnce volume). Matches kube-linter's no-rolling-update-strategy
#   and kube-score's deployment-strategy.
# custom:
#   id: deployment-strategy
#   severity: info
#   remediation: Use strategy type RollingUpdate, unless two versions must never run at once.
#   kinds: [apps/Deployment]
package kubegate.rules.deployment_strategy

deny contains {"msg": msg, "path": ["spec", "strategy", "type"]} if {
	input.spec.strategy.type == "Recreate"
	msg := "strategy Recreate stops every pod before starting new ones: the Deployment is down during each rollout"
}
