// Package config reads the service configuration from environment variables.
//
// Every setting has a default, so the service starts with no environment at
// all. An invalid value is an error that names the variable, so a typo in a
// Dockerfile or compose file fails loudly instead of being ignored.
package config

import (
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is the validated configuration of the service.
type Config struct {
	Port            int           // PORT: TCP port to listen on.
	Host            string        // HOST: interface to listen on; "" means all interfaces.
	GinMode         string        // GIN_MODE: debug, release or test.
	DataDir         string        // DATA_DIR: where notes are stored.
	ShutdownTimeout time.Duration // SHUTDOWN_TIMEOUT: how long in-flight requests get on shutdown.
	DrainDelay      time.Duration // DRAIN_DELAY: how long /health/ready answers 503 before shutdown; 0 skips.
	DemoRoutes      bool          // DEMO_ROUTES: "1" adds /demo/slow for the tutorial's checks.
	ConfigFile      string        // CONFIG_FILE: JSON read at start and on SIGHUP (see Runtime); "" for none.
	UpstreamURL     string        // UPSTREAM_URL: base URL of the service GET /api/v1/upstream depends on; "" for none.
	LogLevel        slog.Level    // LOG_LEVEL: debug, info, warn or error.
}

// Defaults used when a variable is unset or empty.
const (
	DefaultPort    = 8080
	DefaultHost    = ""
	DefaultGinMode = "debug" // same default as gin itself
	DefaultDataDir = "/data"
	// Shorter than the 10 s docker stop waits before SIGKILL: a request still running when the
	// budget ends is cut by the app, cleanly logged, not by the kernel mid-write.
	DefaultShutdownTimeout = 8 * time.Second
	DefaultLogLevel        = slog.LevelInfo
	// No drain by default: a container stopped outside a load balancer has nobody to drain from.
	DefaultDrainDelay = 0
)

// Error reports which variable holds an invalid value.
type Error struct {
	Var    string // the environment variable, e.g. "PORT"
	Value  string // the value that was rejected
	Reason string // what a valid value looks like
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s=%q is invalid: %s", e.Var, e.Value, e.Reason)
}

// Load reads the configuration through getenv (os.Getenv in production, a map
// in tests). An empty variable counts as unset.
func Load(getenv func(string) string) (Config, error) {
	cfg := Config{
		Port:            DefaultPort,
		Host:            DefaultHost,
		GinMode:         DefaultGinMode,
		DataDir:         DefaultDataDir,
		ShutdownTimeout: DefaultShutdownTimeout,
		DrainDelay:      DefaultDrainDelay,
		LogLevel:        DefaultLogLevel,
	}
	var err error

	if v := getenv("PORT"); v != "" {
		if cfg.Port, err = ParsePort(v); err != nil {
			return Config{}, err
		}
	}
	if v := getenv("HOST"); v != "" {
		cfg.Host = v
	}
	if v := getenv("GIN_MODE"); v != "" {
		if cfg.GinMode, err = ParseGinMode(v); err != nil {
			return Config{}, err
		}
	}
	if v := getenv("DATA_DIR"); v != "" {
		cfg.DataDir = v
	}
	if v := getenv("SHUTDOWN_TIMEOUT"); v != "" {
		d, perr := time.ParseDuration(v)
		if perr != nil || d <= 0 {
			return Config{}, &Error{"SHUTDOWN_TIMEOUT", v, `must be a positive duration such as "10s" or "500ms"`}
		}
		cfg.ShutdownTimeout = d
	}
	if v := getenv("DRAIN_DELAY"); v != "" {
		d, perr := time.ParseDuration(v)
		if perr != nil || d < 0 {
			return Config{}, &Error{"DRAIN_DELAY", v, `must be a duration such as "2s", or "0s" for none`}
		}
		cfg.DrainDelay = d
	}
	switch v := getenv("DEMO_ROUTES"); v {
	case "", "0":
	case "1":
		cfg.DemoRoutes = true
	default:
		return Config{}, &Error{"DEMO_ROUTES", v, "must be 1 or 0"}
	}
	cfg.ConfigFile = getenv("CONFIG_FILE")
	if v := getenv("UPSTREAM_URL"); v != "" {
		u, perr := url.Parse(v)
		if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Config{}, &Error{"UPSTREAM_URL", v, `must be an http(s) URL such as "http://upstream:8080"`}
		}
		cfg.UpstreamURL = strings.TrimRight(v, "/")
	}
	if v := getenv("LOG_LEVEL"); v != "" {
		if cfg.LogLevel, err = parseLogLevel(v); err != nil {
			return Config{}, err
		}
	}
	return cfg, nil
}

// ParsePort accepts a whole number from 1 to 65535.
func ParsePort(v string) (int, error) {
	p, err := strconv.Atoi(v)
	if err != nil || p < 1 || p > 65535 {
		return 0, &Error{"PORT", v, "must be a whole number from 1 to 65535"}
	}
	return p, nil
}

// ParseGinMode accepts the three modes gin knows.
func ParseGinMode(v string) (string, error) {
	switch v {
	case "debug", "release", "test":
		return v, nil
	}
	return "", &Error{"GIN_MODE", v, "must be debug, release or test"}
}

func parseLogLevel(v string) (slog.Level, error) {
	switch strings.ToLower(v) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, &Error{"LOG_LEVEL", v, "must be debug, info, warn or error"}
}
