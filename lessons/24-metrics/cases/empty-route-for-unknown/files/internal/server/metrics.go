package server

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"example.com/notes/internal/metrics"
)

// HTTPMetrics are the service's request metrics, served on /metrics.
type HTTPMetrics struct {
	Requests *metrics.CounterVec   // http_requests_total{method,route,status}
	Duration *metrics.HistogramVec // http_request_duration_seconds{method,route}
}

// NewHTTPMetrics registers the request metrics in r.
func NewHTTPMetrics(r *metrics.Registry) *HTTPMetrics {
	return &HTTPMetrics{
		Requests: metrics.NewCounterVec(r, "http_requests_total",
			"HTTP requests answered, by method, route and status code.", "method", "route", "status"),
		Duration: metrics.NewHistogramVec(r, "http_request_duration_seconds",
			"Time to answer HTTP requests, by method and route.", metrics.DefBuckets, "method", "route"),
	}
}

// Metrics counts and times every request.
func Metrics(m *HTTPMetrics) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		m.Requests.WithLabelValues(c.Request.Method, c.FullPath(), strconv.Itoa(c.Writer.Status())).Inc()
		m.Duration.WithLabelValues(c.Request.Method, c.FullPath()).Observe(time.Since(start).Seconds())
	}
}
