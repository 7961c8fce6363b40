package server

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"example.com/notes/internal/metrics"
	"example.com/notes/internal/resilience"
)

// UpstreamMetrics show, on /metrics, what the service does to its dependency:
// every HTTP call it really makes, and every change of its circuit breaker.
type UpstreamMetrics struct {
	Calls   *metrics.CounterVec // upstream_calls_total{result="ok"|"error"}
	Breaker *metrics.CounterVec // upstream_breaker_changes_total{state}
}

// NewUpstreamMetrics registers the upstream metrics in r.
func NewUpstreamMetrics(r *metrics.Registry) *UpstreamMetrics {
	return &UpstreamMetrics{
		Calls: metrics.NewCounterVec(r, "upstream_calls_total",
			"HTTP calls made to the upstream service, by result.", "result"),
		Breaker: metrics.NewCounterVec(r, "upstream_breaker_changes_total",
			"Changes of the upstream circuit breaker, by the state it moved to.", "state"),
	}
}

// Transport wraps next so every call that leaves the process is counted:
// a call the breaker refused never reaches it.
func (m *UpstreamMetrics) Transport(next http.RoundTripper) http.RoundTripper {
	return roundTripFunc(func(req *http.Request) (*http.Response, error) {
		res, err := next.RoundTrip(req)
		result := "ok"
		if err != nil || res.StatusCode >= 500 {
			result = "error"
		}
		m.Calls.WithLabelValues(result).Inc()
		return res, err
	})
}

// Watch counts the breaker's changes of state.
func (m *UpstreamMetrics) Watch(b *resilience.Breaker) {
	b.OnChange = func(s resilience.State) { m.Breaker.WithLabelValues(s.String()).Inc() }
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// RateLimit answers 429 Too Many Requests, with Retry-After, when l has no
// token left: a burst beyond what the service can do is refused at once
// rather than queued until every request is late.
func RateLimit(l *resilience.Limiter) gin.HandlerFunc {
	return func(c *gin.Context) {
		if !l.Allow() {
			c.Header("Retry-After", "1")
			c.AbortWithStatusJSON(http.StatusTooManyRequests, gin.H{"error": "too many requests"})
			return
		}
		c.Next()
	}
}
