package kubegate.rules.configmap_secret_value_test

import data.kubegate.rules.configmap_secret_value

test_secret_values if {
	count(configmap_secret_value.deny) == 2 with input as {"kind": "ConfigMap", "data": {"db_password": "x", "conn": "mysql://u:p@h/db", "auth_url": "https://a", "app.properties": "password=x"}}
}
