package metrics

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestExpositionFormat(t *testing.T) {
	r := NewRegistry()
	c := NewCounterVec(r, "jobs_total", "Jobs done.", "kind", "result")
	h := NewHistogramVec(r, "job_seconds", "Job time.", []float64{0.1, 1}, "kind")
	c.WithLabelValues("mail", "ok").Inc()
	c.WithLabelValues("mail", "ok").Add(2)
	c.WithLabelValues(`a"b\c`+"\n", "failed").Inc()
	h.WithLabelValues("mail").Observe(0.1) // le is inclusive: counts in 0.1
	h.WithLabelValues("mail").Observe(0.5)
	h.WithLabelValues("mail").Observe(3)

	var b strings.Builder
	if _, err := r.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	want := `# HELP job_seconds Job time.
# TYPE job_seconds histogram
job_seconds_bucket{kind="mail",le="0.1"} 1
job_seconds_bucket{kind="mail",le="1"} 2
job_seconds_bucket{kind="mail",le="+Inf"} 3
job_seconds_sum{kind="mail"} 3.6
job_seconds_count{kind="mail"} 3
# HELP jobs_total Jobs done.
# TYPE jobs_total counter
jobs_total{kind="a\"b\\c\n",result="failed"} 1
jobs_total{kind="mail",result="ok"} 3
`
	if b.String() != want {
		t.Errorf("exposition =\n%s\nwant\n%s", b.String(), want)
	}
}

func TestHandlerContentType(t *testing.T) {
	r := NewRegistry()
	NewCounterVec(r, "x_total", "X.").WithLabelValues().Inc()
	w := httptest.NewRecorder()
	r.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type = %q", ct)
	}
	if !strings.Contains(w.Body.String(), "x_total 1\n") {
		t.Errorf("body = %q", w.Body.String())
	}
}

func TestMisuse(t *testing.T) {
	mustPanic := func(name string, f func()) {
		t.Helper()
		defer func() {
			if recover() == nil {
				t.Errorf("%s did not panic", name)
			}
		}()
		f()
	}
	r := NewRegistry()
	c := NewCounterVec(r, "a_total", "A.", "x")
	mustPanic("wrong label count", func() { c.WithLabelValues("1", "2") })
	mustPanic("negative add", func() { c.WithLabelValues("1").Add(-1) })
	mustPanic("registered twice", func() { NewCounterVec(r, "a_total", "A.") })
}
