package conflict

# A complete rule with two values for a Pod named "twice": OPA fails to
# evaluate it ("complete rules must not produce multiple outputs").
level := "a" if input.metadata.name == "twice"

level := "b" if input.metadata.name == "twice"

deny contains "conflicting" if level == "a"
