package server

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gin-gonic/gin"

	"example.com/notes/internal/notes"
)

func init() {
	gin.SetMode(gin.TestMode) // no [GIN-debug] route lines in test output
}

// syncBuffer is a bytes.Buffer safe for the logger and the test to share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newTestRouter returns a router storing notes under dataDir, and its log output.
func newTestRouter(t *testing.T, dataDir string) (http.Handler, *syncBuffer) {
	t.Helper()
	return newTestRouterWithStore(t, dataDir, notes.NewFileStore(dataDir))
}

func newTestRouterWithStore(t *testing.T, dataDir string, store notes.Store) (http.Handler, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	r := NewRouter(Deps{
		Logger:  slog.New(slog.NewJSONHandler(logs, nil)),
		Store:   store,
		DataDir: dataDir,
		Version: "1.2.3",
		Commit:  "abc123",
	})
	return r, logs
}

// do sends a request to h and returns the recorded response.
func do(h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// decode parses a JSON response body into a map.
func decode(t *testing.T, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
		t.Fatalf("response %q is not a JSON object: %v", w.Body.String(), err)
	}
	return m
}

func wantStatus(t *testing.T, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status = %d, want %d (body %s)", w.Code, status, w.Body.String())
	}
}

// logLines parses every log line; the test fails if one is not a JSON object.
func logLines(t *testing.T, logs string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q is not JSON: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}
