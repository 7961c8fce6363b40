package resilience

import (
	"errors"
	"testing"
	"time"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestBreakerOpensAfterThresholdAndClosesAfterTrial(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	b := NewBreaker(3, 5*time.Second)
	b.now = c.now
	var changes []State
	b.OnChange = func(s State) { changes = append(changes, s) }
	for i := 0; i < 3; i++ {
		if err := b.Allow(); err != nil {
			t.Fatalf("call %d refused while closed: %v", i, err)
		}
		b.Failure()
	}
	if b.State() != Open || !errors.Is(b.Allow(), ErrOpen) {
		t.Fatalf("after 3 failures: state %v, want open and calls refused", b.State())
	}
	c.advance(5 * time.Second)
	if err := b.Allow(); err != nil || b.State() != HalfOpen {
		t.Fatalf("after the cool-down: %v, %v; want one trial, half-open", err, b.State())
	}
	if !errors.Is(b.Allow(), ErrOpen) {
		t.Fatal("a second call during the trial went through")
	}
	b.Success()
	if b.State() != Closed || b.Allow() != nil {
		t.Fatalf("after a good trial: %v, want closed", b.State())
	}
	want := []State{Open, HalfOpen, Closed}
	if len(changes) != len(want) {
		t.Fatalf("changes %v, want %v", changes, want)
	}
}

func TestBreakerFailedTrialReopens(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	b := NewBreaker(1, time.Second)
	b.now = c.now
	_ = b.Allow()
	b.Failure()
	c.advance(time.Second)
	_ = b.Allow()
	b.Failure()
	if b.State() != Open || !errors.Is(b.Allow(), ErrOpen) {
		t.Fatalf("a failed trial left the breaker %v", b.State())
	}
}

func TestBreakerSuccessResetsTheCount(t *testing.T) {
	b := NewBreaker(2, time.Second)
	_ = b.Allow()
	b.Failure()
	_ = b.Allow()
	b.Success()
	_ = b.Allow()
	b.Failure()
	if b.State() != Closed {
		t.Fatal("failures that were not consecutive opened the breaker")
	}
}

func TestLimiterRefusesBeyondTheBurstAndRefills(t *testing.T) {
	c := &clock{t: time.Unix(0, 0)}
	l := NewLimiter(10, 3)
	l.now = c.now
	l.last = c.t
	for i := 0; i < 3; i++ {
		if !l.Allow() {
			t.Fatalf("request %d of the burst refused", i)
		}
	}
	if l.Allow() {
		t.Fatal("a fourth request in the same instant was accepted")
	}
	c.advance(100 * time.Millisecond) // one token at 10 per second
	if !l.Allow() || l.Allow() {
		t.Fatal("after 100 ms exactly one more request should pass")
	}
}
