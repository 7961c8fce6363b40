package server

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
)

// Drain is the service's way out of a load balancer before it stops.
//
// When an orchestrator stops a container it sends SIGTERM and, at about the
// same moment, starts taking the container out of its load balancer. The two
// race: for a short while new requests still arrive. A server that closes its
// listener at once refuses them. Draining turns readiness off first
// (/health/ready answers 503, so probes take the container out of rotation),
// keeps serving for Delay, and only then shuts down. Liveness (/health) stays
// 200 throughout: the process is healthy, only leaving.
type Drain struct {
	// Delay is how long the server keeps serving after readiness turns 503
	// (DRAIN_DELAY). Zero skips draining.
	Delay    time.Duration
	draining atomic.Bool
}

// Start turns readiness off. Safe to call more than once and on a nil Drain.
func (d *Drain) Start() {
	if d != nil {
		d.draining.Store(true)
	}
}

// Draining reports whether Start was called.
func (d *Drain) Draining() bool {
	return d != nil && d.draining.Load()
}

// gate answers 503 on the readiness route once draining has started.
func (d *Drain) gate() gin.HandlerFunc {
	return func(c *gin.Context) {
		if d.Draining() {
			c.AbortWithStatusJSON(http.StatusServiceUnavailable, gin.H{"status": "draining"})
			return
		}
		c.Next()
	}
}
