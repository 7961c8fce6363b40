package resilience

import (
	"sync"
	"time"
)

// Limiter is a token bucket: it holds up to Burst tokens, refilled at Rate
// per second; each accepted request takes one. A burst beyond it is refused
// (429 Too Many Requests) instead of queueing work the service cannot do.
type Limiter struct {
	rate  float64
	burst float64
	now   func() time.Time

	mu     sync.Mutex
	tokens float64
	last   time.Time
}

// NewLimiter returns a full bucket.
func NewLimiter(rate float64, burst int) *Limiter {
	if burst < 1 {
		burst = 1
	}
	l := &Limiter{rate: rate, burst: float64(burst), now: time.Now, tokens: float64(burst)}
	l.last = l.now()
	return l
}

// Allow takes a token if there is one.
func (l *Limiter) Allow() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.tokens = min(l.burst, l.tokens+now.Sub(l.last).Seconds()*l.rate)
	l.last = now
	if l.tokens < 1 {
		return false
	}
	l.tokens--
	return true
}
