package server

import (
	"net/http"
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
		route := c.FullPath()
		if route == "" {
			route = c.Request.URL.Path
		}
		m.Requests.WithLabelValues(methodLabel(c.Request.Method), route, strconv.Itoa(c.Writer.Status())).Inc()
		m.Duration.WithLabelValues(methodLabel(c.Request.Method), route).Observe(time.Since(start).Seconds())
	}
}

// methodLabel keeps the method label to the methods HTTP defines: gin passes
// any token a client sends ("SCAN", "FOO1"...), and each would be a series.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}
