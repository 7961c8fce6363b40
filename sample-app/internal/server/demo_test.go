package server

import (
	"io"
	"log/slog"
	"net/http"
	"testing"
)

func TestDemoRoutesAreOffByDefault(t *testing.T) {
	r, _ := newTestRouter(t, t.TempDir())
	wantStatus(t, do(r, http.MethodGet, "/demo/slow?seconds=0", ""), http.StatusNotFound)
}

func TestDemoSlow(t *testing.T) {
	r := NewRouter(Deps{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), DataDir: t.TempDir(), DemoRoutes: true})
	w := do(r, http.MethodGet, "/demo/slow?seconds=0.01", "")
	wantStatus(t, w, http.StatusOK)
	if got := decode(t, w)["slept"]; got != "10ms" {
		t.Errorf("slept = %v, want 10ms", got)
	}
	for _, bad := range []string{"x", "-1", "26"} {
		wantStatus(t, do(r, http.MethodGet, "/demo/slow?seconds="+bad, ""), http.StatusBadRequest)
	}
}
