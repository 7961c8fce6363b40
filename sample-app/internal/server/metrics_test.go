package server

import (
	"net/http"
	"strings"
	"testing"
)

func TestMetricsLabelRoutesNotURLs(t *testing.T) {
	r, _ := newTestRouter(t, t.TempDir())
	for _, id := range []string{"0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"} {
		wantStatus(t, do(r, http.MethodGet, "/api/v1/notes/"+id, ""), http.StatusNotFound)
	}
	for _, path := range []string{"/wp-login.php", "/.env"} {
		wantStatus(t, do(r, http.MethodGet, path, ""), http.StatusNotFound)
	}
	wantStatus(t, do(r, http.MethodGet, "/ping", ""), http.StatusOK)
	wantStatus(t, do(r, "SCAN1", "/nope", ""), http.StatusNotFound)

	w := do(r, http.MethodGet, "/metrics", "")
	wantStatus(t, w, http.StatusOK)
	body := w.Body.String()
	for _, line := range []string{
		`http_requests_total{method="GET",route="/api/v1/notes/:id",status="404"} 2`,
		`http_requests_total{method="GET",route="unmatched",status="404"} 2`,
		`http_requests_total{method="GET",route="/ping",status="200"} 1`,
		`http_request_duration_seconds_count{method="GET",route="/api/v1/notes/:id"} 2`,
		`http_requests_total{method="other",route="unmatched",status="404"} 1`,
	} {
		if !strings.Contains(body, line+"\n") {
			t.Errorf("/metrics lacks %s", line)
		}
	}
	if strings.Contains(body, "0123456789abcdef") || strings.Contains(body, "wp-login") || strings.Contains(body, "SCAN1") {
		t.Error("/metrics has a series labelled with a URL")
	}
}
