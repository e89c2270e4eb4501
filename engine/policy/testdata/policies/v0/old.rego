package main

deny[msg] {
	input.kind == "Pod"
	not input.spec.securityContext
	msg := "pod has no securityContext"
}
