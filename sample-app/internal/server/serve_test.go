package server

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startServer runs handler on a free loopback port until the returned cancel
// is called; Run's result arrives on the returned channel.
func startServer(t *testing.T, handler http.Handler, timeout time.Duration) (url string, cancel context.CancelFunc, done <-chan error, logs *syncBuffer) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	logs = &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	result := make(chan error, 1)
	go func() { result <- Run(ctx, NewHTTPServer(handler, logger), ln, nil, timeout, logger) }()
	return "http://" + ln.Addr().String(), cancel, result, logs
}

func TestRunShutsDownGracefully(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "finished")
	})
	url, cancel, done, logs := startServer(t, slow, 5*time.Second)

	type answer struct {
		body string
		err  error
	}
	inFlight := make(chan answer, 1)
	go func() {
		resp, err := http.Get(url)
		if err != nil {
			inFlight <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		inFlight <- answer{string(b), err}
	}()

	<-started
	cancel() // what SIGTERM does in main
	select {
	case err := <-done:
		t.Fatalf("Run returned (%v) while a request was still in flight", err)
	case <-time.After(100 * time.Millisecond):
	}
	if _, err := net.DialTimeout("tcp", strings.TrimPrefix(url, "http://"), time.Second); err == nil {
		t.Error("the server still accepts new connections after shutdown started")
	}

	close(release)
	if a := <-inFlight; a.err != nil || a.body != "finished" {
		t.Errorf("in-flight request got %q, %v; want it to complete", a.body, a.err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil after a clean shutdown", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not return after the in-flight request finished")
	}
	msgs := []string{}
	for _, l := range logLines(t, logs.String()) {
		msgs = append(msgs, l["msg"].(string))
	}
	if strings.Join(msgs, ",") != "shutting down,stopped" {
		t.Errorf("log messages = %v, want [shutting down stopped]", msgs)
	}
}

func TestRunReportsShutdownTimeout(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	defer close(release)
	stuck := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
	})
	url, cancel, done, _ := startServer(t, stuck, 50*time.Millisecond)
	go func() {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
		}
	}()
	<-started
	cancel()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "shutdown") {
			t.Errorf("Run = %v, want a shutdown timeout error", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Run ignored its shutdown timeout")
	}
}

func TestRunDrainsBeforeShuttingDown(t *testing.T) {
	drain := &Drain{Delay: 300 * time.Millisecond}
	router := NewRouter(Deps{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil)), DataDir: t.TempDir(), Drain: drain})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- Run(ctx, NewHTTPServer(router, logger), ln, drain, time.Second, logger) }()
	url := "http://" + ln.Addr().String()
	status := func(path string) int {
		resp, err := http.Get(url + path)
		if err != nil {
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := status("/health/ready"); got != http.StatusOK {
		t.Fatalf("before the signal /health/ready = %d, want 200", got)
	}

	cancel() // what SIGTERM does in main
	deadline := time.Now().Add(time.Second)
	for !drain.Draining() && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := status("/health/ready"); got != http.StatusServiceUnavailable {
		t.Errorf("while draining /health/ready = %d, want 503", got)
	}
	if got := status("/health"); got != http.StatusOK {
		t.Errorf("while draining /health = %d, want 200: liveness stays up", got)
	}
	if got := status("/ping"); got != http.StatusOK {
		t.Errorf("while draining /ping = %d, want 200: requests are still served", got)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not return after the drain delay")
	}
	if status("/health") != 0 {
		t.Error("the server still answers after Run returned")
	}
	msgs := []string{}
	for _, l := range logLines(t, logs.String()) {
		msgs = append(msgs, l["msg"].(string))
	}
	if strings.Join(msgs, ",") != "draining,shutting down,stopped" {
		t.Errorf("log messages = %v, want [draining shutting down stopped]", msgs)
	}
}
