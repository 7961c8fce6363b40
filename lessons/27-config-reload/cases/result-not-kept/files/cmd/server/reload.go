package main

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"example.com/notes/internal/config"
	"example.com/notes/internal/server"
)

// watchReload re-reads the configuration file on SIGHUP (docker kill -s HUP,
// or a sidecar that sees a ConfigMap change) and applies it without a
// restart: connections, caches and in-flight requests stay as they are.
//
// A file that does not parse is logged and ignored: the service keeps the
// last configuration that worked rather than falling back to defaults.
func watchReload(ctx context.Context, path string, current config.Runtime, level *slog.LevelVar, settings *server.Settings, logger *slog.Logger) {
	// Without Notify, SIGHUP ends a Go program: reloading would kill it.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
		}
		next, err := config.LoadRuntime(path, current)
		if err != nil {
			logger.Error("config reload failed; keeping the current configuration", "file", path, "error", err.Error())
			continue
		}
		level.Set(next.LogLevel)
		settings.SetMaintenance(next.Maintenance)
		// Logged at WARN so the line shows whatever level was just set.
		logger.Warn("config reloaded", "file", path, "logLevel", next.LogLevel.String(), "maintenance", next.Maintenance)
	}
}
