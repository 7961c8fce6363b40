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
	parts := strings.Split(h, "-")
	if len(parts) != 4 {
		return Trace{}, false
	}
	return Trace{TraceID: parts[1], SpanID: parts[2], Flags: parts[3]}, true
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
