package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
)

// Runtime is the part of the configuration that can change while the service
// runs: read from CONFIG_FILE at start and again on SIGHUP.
type Runtime struct {
	LogLevel    slog.Level // "log_level": debug, info, warn or error
	Maintenance bool       // "maintenance": true answers 503 to writes
}

// fileSettings is the JSON file as written; absent keys keep their value.
type fileSettings struct {
	LogLevel    *string `json:"log_level"`
	Maintenance *bool   `json:"maintenance"`
}

// LoadRuntime reads path over base. A path that is empty or names no file
// gives base unchanged; a file that is not valid is an error, and the caller
// keeps what it had.
func LoadRuntime(path string, base Runtime) (Runtime, error) {
	if path == "" {
		return base, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return base, nil
	}
	if err != nil {
		return base, err
	}
	var f fileSettings
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields() // a misspelt key is a mistake, not a no-op
	if err := dec.Decode(&f); err != nil {
		return base, fmt.Errorf("%s: %w", path, err)
	}
	out := base
	if f.LogLevel != nil {
		if out.LogLevel, err = parseLogLevel(*f.LogLevel); err != nil {
			return base, fmt.Errorf("%s: log_level: %w", path, err)
		}
	}
	if f.Maintenance != nil {
		out.Maintenance = *f.Maintenance
	}
	return out, nil
}
