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

// runLoad sends a bounded load to URL until SIGTERM or Ctrl-C (see internal/loadcheck).
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
