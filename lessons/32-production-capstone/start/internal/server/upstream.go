package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"example.com/notes/internal/resilience"
)

// What one request to GET /api/v1/upstream may cost, at most: the caller gets
// an answer (maybe "degraded") within requestBudget, whatever the dependency does.
const (
	requestBudget  = 2 * time.Second
	attemptTimeout = 300 * time.Millisecond
	attempts       = 3                      // the first call and two retries
	firstBackoff   = 100 * time.Millisecond // then 200 ms: each retry waits twice as long
)

// upstream is the service's client for its dependency.
type upstream struct {
	url     string
	client  *http.Client
	breaker *resilience.Breaker
	limiter *resilience.Limiter
	logger  *slog.Logger
}

func newUpstream(baseURL string, m *UpstreamMetrics, logger *slog.Logger) *upstream {
	u := &upstream{
		url: baseURL + "/ping",
		// TODO(lesson 29): this client has no timeout. Keep the Transport: it
		// counts each call on /metrics (upstream_calls_total).
		client: &http.Client{Transport: m.Transport(http.DefaultTransport)},
		// Five failed requests in a row open the breaker; after 5 s one trial.
		breaker: resilience.NewBreaker(5, 5*time.Second),
		// 20 requests per second on average, bursts of up to 20.
		limiter: resilience.NewLimiter(20, 20),
		logger:  logger,
	}
	m.Watch(u.breaker)
	return u
}

func upstreamRoutes(r gin.IRouter, u *upstream) {
	// TODO(lesson 29): nothing limits how many requests reach the handler.
	r.GET("/upstream", u.handle)
}

func (u *upstream) handle(c *gin.Context) {
	body, err := u.call(c.Request.Context())
	if err != nil {
		// TODO(lesson 29): is a failing dependency a 500?
		c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
		return
	}
	c.JSON(http.StatusOK, gin.H{"upstream": body})
}

// call asks the dependency once and waits for as long as it takes.
//
// TODO(lesson 29): go through u.breaker (Allow before, Success or Failure
// after), give the request a budget (context.WithTimeout(ctx, requestBudget)),
// and retry a failed attempt after firstBackoff, then twice as long.
func (u *upstream) call(ctx context.Context) (string, error) {
	return u.once(ctx)
}

func (u *upstream) once(ctx context.Context) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.url, nil)
	if err != nil {
		return "", err
	}
	res, err := u.client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 4096))
	if err != nil {
		return "", err
	}
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("upstream answered %d", res.StatusCode)
	}
	return string(body), nil
}
