// Package ginmode rejects an invalid GIN_MODE with a JSON log line and exit
// code 1, like every other configuration error.
//
// Without it, gin panics in its own init function, before main runs, with a Go
// stack trace and exit code 2. Go initializes packages in import-path order
// whenever their imports are ready, and "example.com/..." sorts before
// "github.com/gin-gonic/gin", so this init runs first. Import it only from
// main, for its side effect.
package ginmode

import (
	"log/slog"
	"os"

	"example.com/notes/internal/config"
)

func init() {
	mode := os.Getenv("GIN_MODE")
	if mode == "" {
		return
	}
	if _, err := config.ParseGinMode(mode); err != nil {
		logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))
		logger.Error("invalid configuration", "variable", "GIN_MODE", "error", err.Error())
		os.Exit(1)
	}
}
