package loadcheck

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRunCountsAnswersAndFailures(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/down" {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("pong"))
	}))
	defer srv.Close()
	for _, tc := range []struct {
		path string
		ok   bool
	}{{"/ping", true}, {"/down", false}} {
		var out bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 1200*time.Millisecond)
		err := Run(ctx, srv.URL+tc.path, Options{Interval: 20 * time.Millisecond, Timeout: time.Second}, &out)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		ok, failed := 0, map[string]int{}
		for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
			var s Second
			if err := json.Unmarshal([]byte(line), &s); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			ok += s.OK
			for k, n := range s.Failed {
				failed[k] += n
			}
		}
		// Counts depend on the machine's speed (a build container may get a fraction of a core):
		// only what each request got is asserted, not how many were sent.
		if tc.ok && (ok == 0 || len(failed) != 0) {
			t.Errorf("%s: ok %d, failed %v; want answers and no failure", tc.path, ok, failed)
		}
		if !tc.ok && (ok != 0 || failed["status 503"] == 0 || len(failed) != 1) {
			t.Errorf("%s: ok %d, failed %v; want only status 503", tc.path, ok, failed)
		}
	}
}

func TestRunRefusesAURLWithoutHost(t *testing.T) {
	if err := Run(context.Background(), "not a url", Options{Interval: time.Second, Timeout: time.Second}, &bytes.Buffer{}); err == nil {
		t.Fatal("want an error for a URL without a host")
	}
}

func TestRefusedConnectionIsNamed(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_ = Run(ctx, url, Options{Interval: 20 * time.Millisecond, Timeout: time.Second}, &out)
	if !strings.Contains(out.String(), `"connection refused"`) {
		t.Fatalf("want connection refused counted, got %s", out.String())
	}
}
