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
	go func() { result <- Run(ctx, NewHTTPServer(handler, logger), ln, timeout, logger) }()
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
