package server

import (
	"net/http"
	"sync/atomic"

	"github.com/gin-gonic/gin"
)

// Settings are the HTTP layer's settings that may change while it runs.
type Settings struct {
	maintenance atomic.Bool
}

// SetMaintenance turns maintenance mode on or off; safe from any goroutine.
func (s *Settings) SetMaintenance(on bool) { s.maintenance.Store(on) }

// Maintenance reports whether writes are refused. A nil Settings never is.
func (s *Settings) Maintenance() bool { return s != nil && s.maintenance.Load() }

// refuseWrites answers 503 to POST, PUT, PATCH and DELETE in maintenance
// mode; reads still work.
func (s *Settings) refuseWrites() gin.HandlerFunc {
	return func(c *gin.Context) {
		switch c.Request.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if s.Maintenance() {
				c.AbortWithStatusJSON(http.StatusServiceUnavailable, gin.H{"error": "maintenance: the service is read-only for now"})
				return
			}
		}
		c.Next()
	}
}
