package config

import (
	"errors"
	"log/slog"
	"os"
	"testing"
	"time"
)

// env turns a map into a getenv function.
func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	cfg, err := Load(env(nil))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := Config{
		Port:            8080,
		Host:            "",
		GinMode:         "debug",
		DataDir:         "/data",
		ShutdownTimeout: 8 * time.Second,
		LogLevel:        slog.LevelInfo,
	}
	if cfg != want {
		t.Errorf("defaults = %+v, want %+v", cfg, want)
	}
}

func TestLoadOverrides(t *testing.T) {
	cfg, err := Load(env(map[string]string{
		"PORT":             "9090",
		"HOST":             "127.0.0.1",
		"GIN_MODE":         "release",
		"DATA_DIR":         "/tmp/notes",
		"SHUTDOWN_TIMEOUT": "2500ms",
		"DRAIN_DELAY":      "1500ms",
		"DEMO_ROUTES":      "1",
		"LOG_LEVEL":        "WARN",
		"UPSTREAM_URL":     "http://upstream:8080/",
	}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := Config{
		Port:            9090,
		Host:            "127.0.0.1",
		GinMode:         "release",
		DataDir:         "/tmp/notes",
		ShutdownTimeout: 2500 * time.Millisecond,
		DrainDelay:      1500 * time.Millisecond,
		DemoRoutes:      true,
		LogLevel:        slog.LevelWarn,
		UpstreamURL:     "http://upstream:8080",
	}
	if cfg != want {
		t.Errorf("config = %+v, want %+v", cfg, want)
	}
}

func TestLoadInvalidValuesNameTheVariable(t *testing.T) {
	cases := []struct{ name, value string }{
		{"PORT", "abc"},
		{"PORT", "0"},
		{"PORT", "65536"},
		{"PORT", "-1"},
		{"PORT", " 8080"},
		{"GIN_MODE", "production"},
		{"SHUTDOWN_TIMEOUT", "10"},
		{"SHUTDOWN_TIMEOUT", "-1s"},
		{"DRAIN_DELAY", "2"},
		{"DRAIN_DELAY", "-1s"},
		{"DEMO_ROUTES", "yes"},
		{"LOG_LEVEL", "verbose"},
		{"UPSTREAM_URL", "upstream:8080"},
		{"UPSTREAM_URL", "ftp://upstream"},
	}
	for _, c := range cases {
		t.Run(c.name+"="+c.value, func(t *testing.T) {
			_, err := Load(env(map[string]string{c.name: c.value}))
			var cerr *Error
			if !errors.As(err, &cerr) {
				t.Fatalf("err = %v, want *config.Error", err)
			}
			if cerr.Var != c.name || cerr.Value != c.value {
				t.Errorf("error names %s=%q, want %s=%q", cerr.Var, cerr.Value, c.name, c.value)
			}
		})
	}
}

func TestPortBounds(t *testing.T) {
	for _, v := range []string{"1", "65535"} {
		if _, err := ParsePort(v); err != nil {
			t.Errorf("ParsePort(%q): %v", v, err)
		}
	}
}

func TestLoadRuntime(t *testing.T) {
	dir := t.TempDir()
	base := Runtime{LogLevel: slog.LevelInfo}
	if got, err := LoadRuntime("", base); err != nil || got != base {
		t.Errorf("no file: %+v, %v", got, err)
	}
	if got, err := LoadRuntime(dir+"/missing.json", base); err != nil || got != base {
		t.Errorf("missing file: %+v, %v", got, err)
	}
	write := func(content string) string {
		p := dir + "/c.json"
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if got, err := LoadRuntime(write(`{"log_level":"DEBUG","maintenance":true}`), base); err != nil || got != (Runtime{slog.LevelDebug, true}) {
		t.Errorf("full file: %+v, %v", got, err)
	}
	if got, err := LoadRuntime(write(`{"maintenance":true}`), Runtime{slog.LevelWarn, false}); err != nil || got != (Runtime{slog.LevelWarn, true}) {
		t.Errorf("absent key keeps its value: %+v, %v", got, err)
	}
	for _, bad := range []string{`{"maintenance":tru`, `{"log_level":"loud"}`, `{"maintenence":true}`} {
		if got, err := LoadRuntime(write(bad), base); err == nil || got != base {
			t.Errorf("%s: %+v, %v; want an error and base", bad, got, err)
		}
	}
}
