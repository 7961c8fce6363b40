// Package resilience holds two small tools a service needs around a
// dependency that can fail: a circuit breaker for the calls it makes, and a
// token-bucket rate limiter for the requests it accepts.
//
// Real services often use github.com/sony/gobreaker and golang.org/x/time/rate;
// these follow the same ideas in a few lines, so the tutorial's image builds
// without more modules.
package resilience

import (
	"errors"
	"sync"
	"time"
)

// ErrOpen is returned by Allow while the breaker is open: the dependency
// failed too often, so it is not called at all until the cool-down is over.
var ErrOpen = errors.New("circuit breaker open: the dependency is not called for now")

// State is where a breaker stands.
type State int

const (
	Closed   State = iota // calls go through; consecutive failures are counted
	Open                  // calls are refused at once until the cool-down ends
	HalfOpen              // one trial call goes through; its result closes or reopens
)

func (s State) String() string {
	switch s {
	case Open:
		return "open"
	case HalfOpen:
		return "half-open"
	}
	return "closed"
}

// Breaker opens after Threshold consecutive failures, refuses calls for
// Cooldown, then lets one trial call through.
type Breaker struct {
	threshold int
	cooldown  time.Duration
	now       func() time.Time

	mu       sync.Mutex
	state    State
	failures int
	openedAt time.Time
	trial    bool // a half-open trial call is in flight
	// OnChange, when set, is told of every change of state (metrics, logs).
	OnChange func(State)
}

// NewBreaker returns a closed breaker.
func NewBreaker(threshold int, cooldown time.Duration) *Breaker {
	if threshold < 1 {
		threshold = 1
	}
	return &Breaker{threshold: threshold, cooldown: cooldown, now: time.Now}
}

// Allow says whether a call may be made now: nil, or ErrOpen. Every allowed
// call must be followed by Success or Failure.
func (b *Breaker) Allow() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case Open:
		if b.now().Sub(b.openedAt) < b.cooldown {
			return ErrOpen
		}
		b.set(HalfOpen)
		b.trial = true
		return nil
	case HalfOpen:
		if b.trial {
			return ErrOpen // one trial at a time
		}
		b.trial = true
	}
	return nil
}

// Success records a call that worked: the breaker closes.
func (b *Breaker) Success() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failures = 0
	b.trial = false
	b.set(Closed)
}

// Failure records a call that failed: the breaker opens after Threshold of
// them in a row, or at once when the half-open trial failed.
func (b *Breaker) Failure() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.trial = false
	b.failures++
	if b.state == HalfOpen || b.failures >= b.threshold {
		b.openedAt = b.now()
		b.set(Open)
	}
}

// State is the breaker's state now.
func (b *Breaker) State() State {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state
}

func (b *Breaker) set(s State) {
	if b.state == s {
		return
	}
	b.state = s
	if b.OnChange != nil {
		b.OnChange(s)
	}
}
