package server

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"example.com/notes/internal/notes"
)

// stalling is a dependency that answers pong, or holds each call until released.
type stalling struct {
	calls   atomic.Int64
	stalled atomic.Bool
	release chan struct{}
}

func newStalling(t *testing.T) (*stalling, *httptest.Server) {
	s := &stalling{release: make(chan struct{})}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.calls.Add(1)
		if s.stalled.Load() {
			select {
			case <-s.release:
			case <-r.Context().Done():
				return
			}
		}
		_, _ = w.Write([]byte(`{"message":"pong"}`))
	}))
	t.Cleanup(func() { close(s.release); srv.Close() })
	return s, srv
}

// upstreamRouter is the service with UPSTREAM_URL set to url.
func upstreamRouter(t *testing.T, url string) http.Handler {
	t.Helper()
	dir := t.TempDir()
	return NewRouter(Deps{
		Logger:      slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Store:       notes.NewFileStore(dir),
		DataDir:     dir,
		UpstreamURL: url,
	})
}

func getUpstream(h http.Handler) (int, map[string]any, time.Duration) {
	start := time.Now()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/api/v1/upstream", nil))
	var body map[string]any
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	return w.Code, body, time.Since(start)
}

func TestUpstreamAnswersWithTheDependencysBody(t *testing.T) {
	_, srv := newStalling(t)
	h := upstreamRouter(t, srv.URL)
	code, body, _ := getUpstream(h)
	if up, _ := body["upstream"].(string); code != http.StatusOK || !strings.Contains(up, "pong") {
		t.Fatalf("got %d %v, want 200 with the upstream's pong", code, body)
	}
	if m := do(h, http.MethodGet, "/metrics", "").Body.String(); !strings.Contains(m, `upstream_calls_total{result="ok"} 1`) {
		t.Fatalf("the call was not counted:\n%s", m)
	}
}

func TestStalledUpstreamIsDegradedWithinBudgetThenTheBreakerOpens(t *testing.T) {
	dep, srv := newStalling(t)
	dep.stalled.Store(true)
	h := upstreamRouter(t, srv.URL)
	for i := 0; i < 5; i++ {
		code, body, took := getUpstream(h)
		if code != http.StatusServiceUnavailable || body["status"] != "degraded" {
			t.Fatalf("request %d: %d %v, want 503 degraded", i, code, body)
		}
		if took > requestBudget+200*time.Millisecond {
			t.Fatalf("request %d took %v, over the %v budget", i, took, requestBudget)
		}
	}
	before := dep.calls.Load()
	if before < 5 {
		t.Fatalf("only %d calls for 5 requests", before)
	}
	for i := 0; i < 5; i++ {
		code, _, took := getUpstream(h)
		if code != http.StatusServiceUnavailable || took > 50*time.Millisecond {
			t.Fatalf("with the breaker open: %d in %v, want a fast 503", code, took)
		}
	}
	if after := dep.calls.Load(); after != before {
		t.Fatalf("the open breaker still let %d calls through", after-before)
	}
}

func TestABurstBeyondTheRateLimitGets429(t *testing.T) {
	_, srv := newStalling(t)
	h := upstreamRouter(t, srv.URL)
	var limited atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 60; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if code, _, _ := getUpstream(h); code == http.StatusTooManyRequests {
				limited.Add(1)
			}
		}()
	}
	wg.Wait()
	if limited.Load() == 0 {
		t.Fatal("60 requests at once: none got 429")
	}
}

func TestNoUpstreamURLNoRoute(t *testing.T) {
	h, _ := newTestRouter(t, t.TempDir())
	if code := do(h, http.MethodGet, "/api/v1/upstream", "").Code; code != http.StatusNotFound {
		t.Fatalf("without UPSTREAM_URL: %d, want 404", code)
	}
}
