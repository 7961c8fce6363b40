// Command server runs the notes service, a small JSON API built with gin.
//
//	server              serve HTTP, configured by environment variables
//	server healthcheck  exit 0 if this machine's server answers GET /health
//	                    with 200, else 1 (for Docker HEALTHCHECK)
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	_ "example.com/notes/internal/ginmode" // exits 1 on a bad GIN_MODE before gin panics on it

	"github.com/gin-gonic/gin"

	"example.com/notes/internal/config"
	"example.com/notes/internal/healthcheck"
	"example.com/notes/internal/notes"
	"example.com/notes/internal/server"
)

// Set at build time:
//
//	go build -ldflags "-X main.version=1.2.3 -X main.commit=abc123" ./cmd/server
var (
	version = "dev"
	commit  = "none"
)

func main() {
	if len(os.Args) > 1 {
		os.Exit(runCommand(os.Args[1:]))
	}
	os.Exit(runServer())
}

func runServer() int {
	// Where logs go: JSON lines on stdout, which is what `docker logs` shows.
	var logOutput io.Writer = os.Stdout

	cfg, err := config.Load(os.Getenv)
	if err != nil {
		logConfigError(newLogger(logOutput, slog.LevelInfo), err)
		return 1
	}
	// The log level and maintenance mode can change while the service runs:
	// CONFIG_FILE is read now and again on SIGHUP (reload.go).
	var level slog.LevelVar
	settings := &server.Settings{}
	runtime := config.Runtime{LogLevel: cfg.LogLevel}
	if runtime, err = config.LoadRuntime(cfg.ConfigFile, runtime); err != nil {
		logConfigError(newLogger(logOutput, slog.LevelInfo), err)
		return 1
	}
	level.Set(runtime.LogLevel)
	settings.SetMaintenance(runtime.Maintenance)
	logger := newLogger(logOutput, &level)
	slog.SetDefault(logger)

	// Signal handling: SIGTERM (sent by `docker stop`) and Ctrl-C cancel ctx,
	// which starts a graceful shutdown.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go watchReload(ctx, cfg.ConfigFile, runtime, &level, settings, logger)

	gin.SetMode(cfg.GinMode)
	drain := &server.Drain{Delay: cfg.DrainDelay}
	router := server.NewRouter(server.Deps{
		Logger:      logger,
		Store:       notes.NewFileStore(cfg.DataDir),
		DataDir:     cfg.DataDir,
		Version:     version,
		Commit:      commit,
		Drain:       drain,
		DemoRoutes:  cfg.DemoRoutes,
		Settings:    settings,
		UpstreamURL: cfg.UpstreamURL,
	})

	// Listen address: HOST:PORT. The default HOST "" means all interfaces
	// (":8080"), which a container needs: a server bound to 127.0.0.1 inside a
	// container cannot be reached through a published port.
	addr := net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		logger.Error("cannot listen", "addr", addr, "error", err.Error())
		return 1
	}
	logger.Info("listening", "addr", addr, "version", version, "commit", commit,
		"ginMode", gin.Mode(), "dataDir", cfg.DataDir)

	srv := server.NewHTTPServer(router, logger)
	if err := server.Run(ctx, srv, ln, drain, cfg.ShutdownTimeout, logger); err != nil {
		logger.Error("server failed", "error", err.Error())
		return 1
	}
	return 0
}

func newLogger(w io.Writer, level slog.Leveler) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

// logConfigError logs which variable is wrong, e.g.
// {"level":"ERROR","msg":"invalid configuration","variable":"PORT","error":"PORT=\"abc\" is invalid: ..."}
func logConfigError(logger *slog.Logger, err error) {
	var cerr *config.Error
	if errors.As(err, &cerr) {
		logger.Error("invalid configuration", "variable", cerr.Var, "error", err.Error())
		return
	}
	logger.Error("invalid configuration", "error", err.Error())
}

func runCommand(args []string) int {
	switch args[0] {
	case "healthcheck":
		return runHealthcheck(os.Getenv, os.Stdout, os.Stderr)
	default:
		fmt.Fprintf(os.Stderr, "unknown command %q\nusage: server [healthcheck]\n", args[0])
		return 2
	}
}

// runHealthcheck probes the server on this machine's loopback at $PORT.
func runHealthcheck(getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := config.Load(getenv)
	if err != nil {
		fmt.Fprintln(stderr, "unhealthy:", err)
		return 1
	}
	url := "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.Port)) + "/health"
	if err := healthcheck.Check(context.Background(), url, healthcheck.Timeout); err != nil {
		fmt.Fprintln(stderr, "unhealthy:", err)
		return 1
	}
	fmt.Fprintln(stdout, "healthy:", url)
	return 0
}
