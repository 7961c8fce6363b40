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
		// Without a timeout, a dependency that stops answering holds every
		// request, and its goroutine, until the caller gives up.
		client: &http.Client{Timeout: attemptTimeout, Transport: m.Transport(http.DefaultTransport)},
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
	r.GET("/upstream", RateLimit(u.limiter), u.handle)
}

func (u *upstream) handle(c *gin.Context) {
	body, err := u.call(c.Request.Context())
	if err != nil {
		u.logger.WarnContext(c.Request.Context(), "upstream unavailable", "error", err.Error())
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "degraded", "error": "upstream unavailable"})
		return
	}
	c.JSON(http.StatusOK, gin.H{"upstream": body})
}

// call asks the dependency through the breaker, retrying with backoff within
// the request's budget. One request is one success or one failure for the breaker.
func (u *upstream) call(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, requestBudget)
	defer cancel()
	backoff := firstBackoff
	var err error
	for i := 0; i < attempts; i++ {
		if i > 0 {
			select {
			case <-time.After(backoff):
				backoff *= 2
			case <-ctx.Done():
				return "", ctx.Err()
			}
		}
		var body string
		if body, err = u.once(ctx); err == nil {
			return body, nil
		}
	}
	return "", err
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
