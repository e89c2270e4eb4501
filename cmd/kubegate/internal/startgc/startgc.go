package startgc

import (
	"os"
	"runtime/debug"
)

// Percent is GOGC while the process starts.
const Percent = 400

func init() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(Percent)
	}
}
