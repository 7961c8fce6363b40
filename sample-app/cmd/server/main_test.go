package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The tests below run main in a child process (this test binary, re-executed),
// to observe what Docker observes: stdout, exit code, reaction to SIGTERM.
func TestMain(m *testing.M) {
	if os.Getenv("NOTES_TEST_RUN_MAIN") == "1" {
		os.Args = []string{"server"}
		main()
		return
	}
	os.Exit(m.Run())
}

// child returns a command that runs main with env added to the environment.
func child(t *testing.T, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "NOTES_TEST_RUN_MAIN=1", "GIN_MODE=", "PORT=", "HOST=", "DATA_DIR=", "LOG_LEVEL=", "SHUTDOWN_TIMEOUT=", "DRAIN_DELAY=", "DEMO_ROUTES=", "CONFIG_FILE=", "UPSTREAM_URL=")
	// With -race the child would otherwise sleep 1 s at exit (race detector default).
	cmd.Env = append(cmd.Env, "GORACE=atexit_sleep_ms=0")
	cmd.Env = append(cmd.Env, env...)
	return cmd
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestServerLifecycleInReleaseMode(t *testing.T) {
	port := freePort(t)
	cmd := child(t, "GIN_MODE=release", "HOST=127.0.0.1", "PORT="+strconv.Itoa(port), "DATA_DIR="+t.TempDir())
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })

	base := "http://127.0.0.1:" + strconv.Itoa(port)
	waitUntilUp(t, base+"/health")
	for path, want := range map[string]string{
		"/ping":         `{"message":"pong"}`,
		"/health/ready": `{"status":"ready"}`,
	} {
		if got := get(t, base+path); got != want {
			t.Errorf("GET %s = %s, want %s", path, got, want)
		}
	}
	var v map[string]string
	if err := json.Unmarshal([]byte(get(t, base+"/version")), &v); err != nil || v["version"] != "dev" || v["commit"] != "none" || v["ginMode"] != "release" {
		t.Errorf("/version = %v, %v", v, err)
	}
	if code := runHealthcheck(envMap(map[string]string{"PORT": strconv.Itoa(port)}), io.Discard, io.Discard); code != 0 {
		t.Errorf("healthcheck against the running server exited %d, want 0", code)
	}

	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	waitErr := make(chan error, 1)
	go func() { waitErr <- cmd.Wait() }()
	select {
	case err := <-waitErr:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v, want exit code 0; output:\n%s", err, stdout.String())
		}
	case <-time.After(2 * time.Second):
		t.Fatal("server still running 2 s after SIGTERM")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("stopped in %v, want under 1 s", d)
	}

	// Release mode: every line of output is JSON, none from gin's debug printer.
	var msgs []string
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Errorf("output line is not JSON: %q", sc.Text())
			continue
		}
		msgs = append(msgs, line["msg"].(string))
	}
	joined := strings.Join(msgs, ",")
	if !strings.HasPrefix(joined, "listening,") || !strings.HasSuffix(joined, ",shutting down,stopped") {
		t.Errorf("log messages = %v, want listening ... shutting down, stopped", msgs)
	}
}

func TestDebugModePrintsGinRoutes(t *testing.T) {
	// In the default (debug) mode gin prints its route lines while main builds
	// the router; a port that is already taken then makes main exit 1.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	out, err := child(t, "HOST=127.0.0.1", "PORT="+port).CombinedOutput()
	if exitCode(err) != 1 {
		t.Fatalf("exit = %v, want 1 (port in use); output:\n%s", err, out)
	}
	if !bytes.Contains(out, []byte("[GIN-debug] GET    /ping")) {
		t.Errorf("debug mode (the default) should print [GIN-debug] route lines; output:\n%s", out)
	}
	if !bytes.Contains(out, []byte(`"msg":"cannot listen"`)) {
		t.Errorf("want a JSON \"cannot listen\" line; output:\n%s", out)
	}
}

func TestInvalidConfigExits1WithJSONLine(t *testing.T) {
	for _, c := range []struct{ variable, value string }{
		{"PORT", "abc"},
		{"PORT", "70000"},
		{"LOG_LEVEL", "loud"},
		{"SHUTDOWN_TIMEOUT", "soon"},
		// gin panics on this in its own init; internal/ginmode must catch it first.
		{"GIN_MODE", "production"},
	} {
		t.Run(c.variable+"="+c.value, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			cmd := child(t, c.variable+"="+c.value)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err := cmd.Run()
			if exitCode(err) != 1 {
				t.Fatalf("exit = %v, want 1; stdout %q, stderr %q", err, stdout.String(), stderr.String())
			}
			var line map[string]any
			if err := json.Unmarshal(bytes.TrimSpace(stdout.Bytes()), &line); err != nil {
				t.Fatalf("stdout %q is not one JSON line: %v", stdout.String(), err)
			}
			if line["level"] != "ERROR" || line["variable"] != c.variable || !strings.Contains(line["error"].(string), c.value) {
				t.Errorf("log line = %v, want an ERROR naming %s", line, c.variable)
			}
			if stderr.Len() != 0 {
				t.Errorf("stderr = %q, want nothing", stderr.String())
			}
		})
	}
}

func TestHealthcheckCommand(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/health" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()
	port := strconv.Itoa(srv.Listener.Addr().(*net.TCPAddr).Port)
	env := envMap(map[string]string{"PORT": port})

	if code := runHealthcheck(env, io.Discard, io.Discard); code != 0 {
		t.Errorf("healthy server: exit %d, want 0", code)
	}
	status = http.StatusServiceUnavailable
	var stderr bytes.Buffer
	if code := runHealthcheck(env, io.Discard, &stderr); code != 1 {
		t.Errorf("503: exit %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), "503") {
		t.Errorf("stderr = %q, want the status", stderr.String())
	}
	if code := runHealthcheck(envMap(map[string]string{"PORT": strconv.Itoa(freePort(t))}), io.Discard, io.Discard); code != 1 {
		t.Errorf("nothing listening: exit %d, want 1", code)
	}
	if code := runHealthcheck(envMap(map[string]string{"PORT": "nope"}), io.Discard, io.Discard); code != 1 {
		t.Errorf("invalid PORT: exit %d, want 1", code)
	}
}

func envMap(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err == nil {
		return 0
	}
	return -1
}

func waitUntilUp(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s did not answer within 5 s", url)
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSIGHUPReloadsTheConfigFile(t *testing.T) {
	port := freePort(t)
	dir := t.TempDir()
	file := dir + "/config.json"
	cmd := child(t, "GIN_MODE=release", "HOST=127.0.0.1", "PORT="+strconv.Itoa(port), "DATA_DIR="+dir, "CONFIG_FILE="+file)
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	waitUntilUp(t, base+"/health")
	post := func() int {
		resp, err := http.Post(base+"/api/v1/notes", "application/json", strings.NewReader(`{"title":"t"}`))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	hup := func(content string) {
		if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Process.Signal(syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
	}
	eventually := func(want int) {
		t.Helper()
		deadline := time.Now().Add(2 * time.Second)
		for post() != want {
			if time.Now().After(deadline) {
				t.Fatalf("POST never answered %d; output:\n%s", want, stdout.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	if got := post(); got != http.StatusCreated {
		t.Fatalf("POST before any reload = %d, want 201", got)
	}
	hup(`{"maintenance": true, "log_level": "warn"}`)
	eventually(http.StatusServiceUnavailable)
	hup(`{"maintenance": tru`) // a broken file keeps the last good configuration
	time.Sleep(200 * time.Millisecond)
	if got := post(); got != http.StatusServiceUnavailable {
		t.Errorf("POST after a broken reload = %d, want 503 still", got)
	}
	hup(`{"maintenance": false}`)
	eventually(http.StatusCreated)
	// Any wording will do, as long as a warning or an error names the file.
	logged := false
	for _, line := range strings.Split(stdout.String(), "\n") {
		if (strings.Contains(line, `"level":"ERROR"`) || strings.Contains(line, `"level":"WARN"`)) && strings.Contains(line, file) {
			logged = true
		}
	}
	if !logged {
		t.Errorf("no warning or error names %s after the broken file; output:\n%s", file, stdout.String())
	}
}
