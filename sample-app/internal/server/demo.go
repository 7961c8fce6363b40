package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// maxSlowSeconds bounds /demo/slow, so a stray request cannot hold a
// connection longer than the server's write timeout.
const maxSlowSeconds = 25

// slow answers after ?seconds=N (0-25, fractions allowed): a stand-in for a
// slow request, so shutdown and timeouts can be observed from outside. Only
// routed when DEMO_ROUTES=1; the tutorial's checks turn it on.
func slow(c *gin.Context) {
	s, err := strconv.ParseFloat(c.DefaultQuery("seconds", "1"), 64)
	if err != nil || s < 0 || s > maxSlowSeconds {
		c.JSON(http.StatusBadRequest, gin.H{"error": "seconds must be a number from 0 to 25"})
		return
	}
	d := time.Duration(s * float64(time.Second))
	select {
	case <-time.After(d):
		c.JSON(http.StatusOK, gin.H{"slept": d.String()})
	case <-c.Request.Context().Done(): // the client went away
	}
}
