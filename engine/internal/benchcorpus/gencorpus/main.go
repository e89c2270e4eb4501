// Command gencorpus writes the benchmark corpus as files of 100 objects, for
// side-by-side runs of kubegate and other tools (docs/bench/run.sh).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/kubegate/kubegate/engine/internal/benchcorpus"
)

func main() {
	n := flag.Int("n", 10_000, "number of objects")
	seed := flag.Int64("seed", 1, "random seed; the same seed gives the same corpus")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: gencorpus [-n N] [-seed S] DIR")
		os.Exit(2)
	}
	dir := flag.Arg(0)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	if err := benchcorpus.WriteFiles(dir, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}
