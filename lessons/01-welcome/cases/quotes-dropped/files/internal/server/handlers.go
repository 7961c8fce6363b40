package server

import (
	"fmt"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/gin-gonic/gin"
)

func ping(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"message": pong})
}

// health is the liveness probe: if the process can answer, it is alive.
func health(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// ready is the readiness probe: the service is only useful when it can store
// notes, so it checks that the data directory accepts a new file.
func ready(dataDir string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if err := checkWritable(dataDir); err != nil {
			c.JSON(http.StatusServiceUnavailable, gin.H{"status": "not ready", "reason": err.Error()})
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ready"})
	}
}

func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".ready-*")
	if err != nil {
		return fmt.Errorf("data directory %s is not writable: %w", dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// version reports what is running: version and commit are set at build time
// with -ldflags "-X main.version=... -X main.commit=...".
func version(v, commit string) gin.HandlerFunc {
	return func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{
			"version":   v,
			"commit":    commit,
			"goVersion": runtime.Version(),
			"ginMode":   gin.Mode(),
		})
	}
}

// runtimeInfo shows what the Go runtime sees, which changes under container
// CPU and memory limits (GOMAXPROCS follows the CPU limit since Go 1.25;
// gomemlimit is math.MaxInt64 unless GOMEMLIMIT is set).
func runtimeInfo(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{
		"gomaxprocs": runtime.GOMAXPROCS(0),
		"numCPU":     runtime.NumCPU(),
		"gomemlimit": debug.SetMemoryLimit(-1), // -1 reads the limit without changing it
	})
}
