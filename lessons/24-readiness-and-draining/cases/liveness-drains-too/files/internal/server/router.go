// Package server is the HTTP layer: the gin router, its handlers and
// middleware, and Run, which serves until asked to stop and then shuts down
// gracefully.
package server

import (
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"example.com/notes/internal/metrics"
	"example.com/notes/internal/notes"
)

// Deps is what the HTTP layer needs from the rest of the program.
type Deps struct {
	Logger  *slog.Logger
	Store   notes.Store
	DataDir string // /health/ready checks that this directory is writable
	Version string // shown by /version
	Commit  string // shown by /version
	// Drain turns /health/ready to 503 when shutdown begins; nil never drains.
	Drain *Drain
	// DemoRoutes adds GET /demo/slow?seconds=N (DEMO_ROUTES=1).
	DemoRoutes bool
	// Settings change at run time (maintenance mode); nil keeps the defaults.
	Settings *Settings
	// UpstreamURL adds GET /api/v1/upstream, which calls UpstreamURL/ping
	// (UPSTREAM_URL); "" leaves the route out.
	UpstreamURL string
}

// NewRouter builds the gin engine with every route of the service. Call
// gin.SetMode before it: in debug mode gin prints one [GIN-debug] line per route.
func NewRouter(d Deps) *gin.Engine {
	r := gin.New() // no default logger: RequestLogger writes JSON instead
	// Trust no proxy headers: ClientIP is the address of the TCP connection.
	// SetTrustedProxies only fails on unparsable addresses, and nil has none.
	_ = r.SetTrustedProxies(nil)
	// Every line logged with a request's context carries its trace ids.
	logger := withTraceIDs(d.Logger)
	registry := metrics.NewRegistry()
	// Tracing runs first, so the request's log line has the trace; Metrics sits
	// outside Recovery, so a panic is counted with its 500.
	r.Use(Tracing(), RequestLogger(logger), Metrics(NewHTTPMetrics(registry)), Recovery(logger))

	r.GET("/ping", ping)
	r.GET("/health", d.Drain.gate(), health) // "not healthy while leaving"
	r.GET("/health/ready", d.Drain.gate(), ready(d.DataDir))
	r.GET("/version", version(d.Version, d.Commit))
	r.GET("/metrics", gin.WrapH(registry.Handler()))

	api := r.Group("/api/v1", d.Settings.refuseWrites())
	api.GET("/runtime", runtimeInfo)
	h := &notesHandler{store: d.Store, logger: logger}
	api.GET("/notes", h.list)
	api.POST("/notes", h.create)
	api.GET("/notes/:id", h.get)
	api.DELETE("/notes/:id", h.delete)
	if d.UpstreamURL != "" {
		upstreamRoutes(api, newUpstream(d.UpstreamURL, NewUpstreamMetrics(registry), logger))
	}

	if d.DemoRoutes {
		r.GET("/demo/slow", slow)
	}

	r.NoRoute(func(c *gin.Context) {
		c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
	})
	return r
}
