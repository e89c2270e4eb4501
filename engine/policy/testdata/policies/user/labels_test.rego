package user.labels_test

import data.user.labels

test_missing_team if {
	count(labels.deny) == 1 with input as {"kind": "ConfigMap", "metadata": {"name": "x"}}
}

test_team_present if {
	count(labels.deny) == 0 with input as {"kind": "ConfigMap", "metadata": {"name": "x", "labels": {"team": "a"}}}
}
