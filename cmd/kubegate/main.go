// Command kubegate lints, validates and polices Kubernetes manifests.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/kubegate/kubegate/cmd/kubegate/internal/cli"
	// Fewer collections while the packages initialise; see its doc.
	_ "github.com/kubegate/kubegate/cmd/kubegate/internal/startgc"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
