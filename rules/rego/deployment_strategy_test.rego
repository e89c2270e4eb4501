package kubegate.rules.deployment_strategy_test

import data.kubegate.rules.deployment_strategy

test_recreate if {
	count(deployment_strategy.deny) == 1 with input as {"kind": "Deployment", "spec": {"strategy": {"type": "Recreate"}}}
	count(deployment_strategy.deny) == 0 with input as {"kind": "Deployment", "spec": {}}
}
