package kubegate.rules.owner_metadata_test

import data.kubegate.rules.owner_metadata

test_missing if {
	count(owner_metadata.deny) == 2 with input as {"kind": "ConfigMap", "metadata": {"name": "x"}}
}

test_present if {
	count(owner_metadata.deny) == 0 with input as {"kind": "ConfigMap", "metadata": {"name": "x", "labels": {"owner": "shop"}, "annotations": {"email": "shop@example.com"}}}
}
