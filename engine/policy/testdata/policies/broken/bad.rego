package broken

deny contains msg if {
	x := 1
	msg := "always"
}
