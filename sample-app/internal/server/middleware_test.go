package server

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"example.com/notes/internal/notes"
)

func TestRequestLoggerWritesOneJSONLinePerRequest(t *testing.T) {
	r, logs := newTestRouter(t, t.TempDir())
	req := httptest.NewRequest(http.MethodGet, "/ping?x=1", nil)
	req.RemoteAddr = "203.0.113.7:4321"
	req.Header.Set("X-Forwarded-For", "198.51.100.1") // not trusted: must be ignored
	r.ServeHTTP(httptest.NewRecorder(), req)
	do(r, http.MethodGet, "/nope", "")

	lines := logLines(t, logs.String())
	if len(lines) != 2 {
		t.Fatalf("got %d log lines, want 2:\n%s", len(lines), logs.String())
	}
	first := lines[0]
	want := map[string]any{
		"level":     "INFO",
		"msg":       "request",
		"method":    "GET",
		"path":      "/ping",
		"status":    float64(200),
		"client_ip": "203.0.113.7",
	}
	for k, v := range want {
		if first[k] != v {
			t.Errorf("%s = %v, want %v", k, first[k], v)
		}
	}
	if d, ok := first["duration_ms"].(float64); !ok || d < 0 {
		t.Errorf("duration_ms = %v, want a non-negative number", first["duration_ms"])
	}
	if _, ok := first["time"].(string); !ok {
		t.Errorf("time missing: %v", first)
	}
	if lines[1]["status"] != float64(404) || lines[1]["level"] != "WARN" {
		t.Errorf("404 line = %v, want status 404 at WARN", lines[1])
	}
}

func TestRecoveryAnswers500AndLogsThePanic(t *testing.T) {
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	r := gin.New()
	r.Use(RequestLogger(logger), Recovery(logger))
	r.GET("/boom", func(*gin.Context) { panic("boom") })

	w := do(r, http.MethodGet, "/boom", "")
	wantStatus(t, w, http.StatusInternalServerError)
	if got := w.Body.String(); got != `{"error":"internal server error"}` {
		t.Errorf("body = %s", got)
	}
	lines := logLines(t, logs.String())
	if len(lines) != 2 || lines[0]["msg"] != "panic recovered" || lines[0]["error"] != "boom" ||
		lines[1]["msg"] != "request" || lines[1]["status"] != float64(500) {
		t.Errorf("log lines = %v, want a panic line then a 500 request line", lines)
	}
}

func TestRequestLoggerLevels(t *testing.T) {
	settings := &Settings{}
	settings.SetMaintenance(true)
	logs := &syncBuffer{}
	r := NewRouter(Deps{Logger: slog.New(slog.NewJSONHandler(logs, nil)), Store: notes.NewFileStore(t.TempDir()), DataDir: t.TempDir(), Settings: settings})
	wantStatus(t, do(r, http.MethodPost, "/api/v1/notes", `{"title":"a"}`), http.StatusServiceUnavailable)
	lines := logLines(t, logs.String())
	if len(lines) != 1 || lines[0]["level"] != "WARN" {
		t.Errorf("a deliberate 503 logged as %v, want one line at WARN", lines)
	}
}
