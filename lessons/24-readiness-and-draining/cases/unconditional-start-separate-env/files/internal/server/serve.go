package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// NewHTTPServer wraps handler in an http.Server with timeouts, so a slow or
// stalled client cannot hold a connection (and a goroutine) forever.
func NewHTTPServer(handler http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		// net/http's own errors (bad TLS, superfluous WriteHeader...) as JSON too.
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// Run serves on ln until ctx is cancelled (main cancels it on SIGTERM or
// Ctrl-C), then leaves gracefully: it drains (readiness answers 503 while the
// server keeps serving for drain.Delay), stops accepting connections, and
// waits up to timeout for in-flight requests to finish.
//
// The whole exit takes up to drain.Delay + timeout: keep that shorter than the
// grace period of whatever stops the container (docker stop waits 10 s, then
// kills), or the kernel, not the app, ends the requests still running.
func Run(ctx context.Context, srv *http.Server, ln net.Listener, drain *Drain, timeout time.Duration, logger *slog.Logger) error {
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err) // Serve stopped on its own: a real failure
	case <-ctx.Done():
	}

	drain.Start()
	time.Sleep(drain.Delay)

	logger.Info("shutting down", "timeout", timeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err) // requests still running after timeout
	}
	if err := <-serveErr; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("stopped")
	return nil
}
