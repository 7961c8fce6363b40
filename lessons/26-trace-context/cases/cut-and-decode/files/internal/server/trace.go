package server

import (
	"crypto/rand"
	"encoding/hex"
	"strings"

	"github.com/gin-gonic/gin"
)

// Trace is where a request sits in a distributed trace (W3C Trace Context):
// the trace it belongs to, the span this service handles it in, and the
// caller's flags (01: sampled).
type Trace struct {
	TraceID string // 32 lowercase hex digits, not all zero
	SpanID  string // 16 lowercase hex digits, not all zero
	Flags   string // 2 hex digits
}

// Header renders the traceparent header: 00-<trace id>-<span id>-<flags>.
func (t Trace) Header() string { return "00-" + t.TraceID + "-" + t.SpanID + "-" + t.Flags }

// ParseTraceparent reads a traceparent header of version 00. It returns false
// for anything else, including ids of all zeros, which the spec declares
// invalid: the request then starts a trace of its own.
func ParseTraceparent(h string) (Trace, bool) {
	version, rest, ok := strings.Cut(h, "-")
	if !ok || version != "00" {
		return Trace{}, false
	}
	traceID, rest, ok := strings.Cut(rest, "-")
	if !ok {
		return Trace{}, false
	}
	spanID, flags, ok := strings.Cut(rest, "-")
	if !ok || len(traceID) != 32 || len(spanID) != 16 || len(flags) != 2 || strings.ToLower(h) != h {
		return Trace{}, false
	}
	for _, part := range []string{traceID, spanID, flags} {
		if _, err := hex.DecodeString(part); err != nil {
			return Trace{}, false
		}
	}
	if strings.Trim(traceID, "0") == "" || strings.Trim(spanID, "0") == "" {
		return Trace{}, false
	}
	return Trace{TraceID: traceID, SpanID: spanID, Flags: flags}, true
}

// Tracing continues the caller's trace (or starts one), gives this request a
// span id of its own, puts both in the request's context, so every log line
// of the request carries them, and answers with the new traceparent.
func Tracing() gin.HandlerFunc {
	return func(c *gin.Context) {
		t := Trace{TraceID: newID(16), SpanID: newID(8), Flags: "00"}
		if parent, ok := ParseTraceparent(c.GetHeader("traceparent")); ok {
			t.TraceID, t.Flags = parent.TraceID, parent.Flags // same trace, our own span
		}
		c.Request = c.Request.WithContext(withTrace(c.Request.Context(), t))
		c.Header("traceparent", t.Header())
		c.Next()
	}
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'f') {
			return false
		}
	}
	return true
}

func isHexID(s string, n int) bool { return isHex(s, n) && strings.Trim(s, "0") != "" }

// newID returns n random bytes as lowercase hex.
func newID(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails on Linux
	return hex.EncodeToString(b)
}
