package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/notes/internal/loadcheck"
)

// `server load URL` sends a bounded load to URL until SIGTERM or Ctrl-C, printing each second's
// successes and failures as a JSON line (see internal/loadcheck); the tutorial's runner uses it to
// count the requests a rolling update loses. It is dispatched here rather than in main.go's
// runCommand, so that main.go (which some lessons hand out with a bug to fix) stays as it was.
func init() {
	if len(os.Args) > 1 && os.Args[1] == "load" {
		os.Exit(runLoad(os.Args[2:], os.Stdout, os.Stderr))
	}
}

func runLoad(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: server load URL")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	opts := loadcheck.Options{Interval: 50 * time.Millisecond, Timeout: 2 * time.Second}
	if err := loadcheck.Run(ctx, args[0], opts, stdout); err != nil {
		fmt.Fprintln(stderr, "load:", err)
		return 2
	}
	return 0
}
