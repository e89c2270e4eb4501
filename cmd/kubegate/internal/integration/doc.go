// Package integration tests how kubegate plugs into the tools that gate
// changes: the pre-commit hooks (.pre-commit-hooks.yaml), the GitHub
// Action (action.yml) and the CI snippets of README.md. It holds tests
// only.
//
// The tests that need no program from outside run with `go test ./...`.
// Those that run Debian's pre-commit and shellcheck, build kubegate, and
// run the action's shell carry the build tag "integration"; .ci/run
// installs the packages and runs them with KUBEGATE_E2E=1, which turns a
// missing program into a failure instead of a skip:
//
//	KUBEGATE_E2E=1 go test -tags integration -run . ./cmd/kubegate/internal/integration/
package integration
