package healthcheck

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
		case "/down":
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/slow":
			<-release
		}
	}))
	defer srv.Close()
	defer close(release) // runs before srv.Close, which waits for handlers

	closed := httptest.NewServer(http.NotFoundHandler())
	closedURL := closed.URL
	closed.Close()

	cases := []struct {
		name, url string
		wantOK    bool
	}{
		{"200", srv.URL + "/ok", true},
		{"503", srv.URL + "/down", false},
		{"too slow", srv.URL + "/slow", false},
		{"nothing listening", closedURL + "/ok", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			err := Check(context.Background(), c.url, 200*time.Millisecond)
			if (err == nil) != c.wantOK {
				t.Errorf("Check(%s) = %v, want ok=%v", c.url, err, c.wantOK)
			}
			if time.Since(start) > time.Second {
				t.Errorf("Check took %v, longer than its timeout allows", time.Since(start))
			}
		})
	}
}
