package server

import (
	"io"
	"log/slog"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"example.com/notes/internal/notes"
)

func TestPing(t *testing.T) {
	r, _ := newTestRouter(t, t.TempDir())
	w := do(r, http.MethodGet, "/ping", "")
	wantStatus(t, w, http.StatusOK)
	if got := w.Body.String(); got != `{"message":"pong"}` {
		t.Errorf("body = %s", got)
	}
}

func TestHealth(t *testing.T) {
	r, _ := newTestRouter(t, t.TempDir())
	w := do(r, http.MethodGet, "/health", "")
	wantStatus(t, w, http.StatusOK)
	if got := w.Body.String(); got != `{"status":"ok"}` {
		t.Errorf("body = %s", got)
	}
}

func TestReadyWithWritableDataDir(t *testing.T) {
	dir := t.TempDir()
	r, _ := newTestRouter(t, dir)
	w := do(r, http.MethodGet, "/health/ready", "")
	wantStatus(t, w, http.StatusOK)
	if got := w.Body.String(); got != `{"status":"ready"}` {
		t.Errorf("body = %s", got)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("the probe left files behind: %v", left)
	}
}

func TestReadyWithUnwritableDataDir(t *testing.T) {
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"missing":   filepath.Join(t.TempDir(), "missing"),
		"not a dir": notADir,
		"read-only": readOnlyDir(t),
	}
	for name, dir := range cases {
		t.Run(name, func(t *testing.T) {
			if dir == "" {
				t.Skip("running as root: permission bits do not stop writes")
			}
			r, _ := newTestRouter(t, dir)
			w := do(r, http.MethodGet, "/health/ready", "")
			wantStatus(t, w, http.StatusServiceUnavailable)
			body := decode(t, w)
			if body["status"] != "not ready" || body["reason"] == "" || body["reason"] == nil {
				t.Errorf("body = %v, want status \"not ready\" and a reason", body)
			}
		})
	}
}

// readOnlyDir returns a directory the test cannot write to, or "" when running
// as root, which ignores permission bits.
func readOnlyDir(t *testing.T) string {
	if os.Geteuid() == 0 {
		return ""
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	return dir
}

func TestVersion(t *testing.T) {
	r, _ := newTestRouter(t, t.TempDir())
	w := do(r, http.MethodGet, "/version", "")
	wantStatus(t, w, http.StatusOK)
	body := decode(t, w)
	want := map[string]any{
		"version":   "1.2.3",
		"commit":    "abc123",
		"goVersion": runtime.Version(),
		"ginMode":   "test",
	}
	for k, v := range want {
		if body[k] != v {
			t.Errorf("%s = %v, want %v", k, body[k], v)
		}
	}
}

func TestRuntime(t *testing.T) {
	r, _ := newTestRouter(t, t.TempDir())
	w := do(r, http.MethodGet, "/api/v1/runtime", "")
	wantStatus(t, w, http.StatusOK)
	body := decode(t, w)
	if body["gomaxprocs"] != float64(runtime.GOMAXPROCS(0)) || body["numCPU"] != float64(runtime.NumCPU()) {
		t.Errorf("body = %v", body)
	}
	// Without GOMEMLIMIT the limit is math.MaxInt64 (float64 loses the last digits).
	if limit, ok := body["gomemlimit"].(float64); !ok || (os.Getenv("GOMEMLIMIT") == "" && limit != float64(math.MaxInt64)) {
		t.Errorf("gomemlimit = %v", body["gomemlimit"])
	}
}

func TestUnknownRouteIsJSON404(t *testing.T) {
	r, _ := newTestRouter(t, t.TempDir())
	w := do(r, http.MethodGet, "/nope", "")
	wantStatus(t, w, http.StatusNotFound)
	if got := w.Body.String(); got != `{"error":"not found"}` {
		t.Errorf("body = %s", got)
	}
}

func TestMaintenanceRefusesWritesOnly(t *testing.T) {
	settings := &Settings{}
	r := NewRouter(Deps{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), Store: notes.NewFileStore(t.TempDir()), DataDir: t.TempDir(), Settings: settings})
	wantStatus(t, do(r, http.MethodPost, "/api/v1/notes", `{"title":"a"}`), http.StatusCreated)
	settings.SetMaintenance(true)
	wantStatus(t, do(r, http.MethodPost, "/api/v1/notes", `{"title":"b"}`), http.StatusServiceUnavailable)
	wantStatus(t, do(r, http.MethodDelete, "/api/v1/notes/0123456789abcdef0123456789abcdef", ""), http.StatusServiceUnavailable)
	wantStatus(t, do(r, http.MethodGet, "/api/v1/notes", ""), http.StatusOK)
	settings.SetMaintenance(false)
	wantStatus(t, do(r, http.MethodPost, "/api/v1/notes", `{"title":"c"}`), http.StatusCreated)
}
