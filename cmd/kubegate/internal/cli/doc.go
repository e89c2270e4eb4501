// Package cli is kubegate's command line: cobra wiring only, one file per
// subcommand, each with an options struct and a constructor. Nothing here
// holds state between runs, and nothing calls os.Exit: Run returns the exit
// code.
package cli
