package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParseTraceparent(t *testing.T) {
	const trace, span = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	got, ok := ParseTraceparent("00-" + trace + "-" + span + "-01")
	if !ok || got != (Trace{trace, span, "01"}) {
		t.Fatalf("valid header = %+v, %v", got, ok)
	}
	for _, bad := range []string{
		"",
		"00-" + trace + "-" + span,         // no flags
		"01-" + trace + "-" + span + "-01", // unknown version
		"00-" + strings.ToUpper(trace) + "-" + span + "-01",   // upper case
		"00-00000000000000000000000000000000-" + span + "-01", // all-zero trace id
		"00-" + trace + "-0000000000000000-01",                // all-zero span id
		"00-" + trace[:31] + "-" + span + "-01",               // short trace id
		"00-" + trace + "-" + span + "-1",                     // short flags
		"00-" + trace + "-" + span[:15] + "g-01",              // not hex
	} {
		if _, ok := ParseTraceparent(bad); ok {
			t.Errorf("ParseTraceparent(%q) accepted", bad)
		}
	}
}

func TestTracingContinuesTheCallersTrace(t *testing.T) {
	r, logs := newTestRouter(t, t.TempDir())
	const trace, parent = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
	req := httptest.NewRequest(http.MethodGet, "/ping", nil)
	req.Header.Set("traceparent", "00-"+trace+"-"+parent+"-01")
	w := httptest.NewRecorder()
	r.ServeHTTP(w, req)
	answer, ok := ParseTraceparent(w.Header().Get("traceparent"))
	if !ok || answer.TraceID != trace || answer.SpanID == parent || answer.Flags != "01" {
		t.Fatalf("answered traceparent %q: want the same trace and flags with a span of its own", w.Header().Get("traceparent"))
	}
	lines := logLines(t, logs.String())
	if len(lines) != 1 || lines[0]["trace_id"] != trace || lines[0]["span_id"] != answer.SpanID {
		t.Errorf("log lines = %v, want one with trace_id %s and span_id %s", lines, trace, answer.SpanID)
	}
}

func TestTracingStartsATraceWithoutAValidHeader(t *testing.T) {
	for _, header := range []string{"", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"} {
		r, logs := newTestRouter(t, t.TempDir())
		req := httptest.NewRequest(http.MethodGet, "/ping", nil)
		if header != "" {
			req.Header.Set("traceparent", header)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		answer, ok := ParseTraceparent(w.Header().Get("traceparent"))
		if !ok || answer.Flags != "00" {
			t.Fatalf("header %q: answered traceparent %q, want a new valid trace", header, w.Header().Get("traceparent"))
		}
		if lines := logLines(t, logs.String()); len(lines) != 1 || lines[0]["trace_id"] != answer.TraceID {
			t.Errorf("header %q: log lines = %v, want trace_id %s", header, lines, answer.TraceID)
		}
	}
}
