// Package loadcheck sends a steady, bounded load to a service and reports, once a second, how many
// requests succeeded and why the others failed. The tutorial's runner starts it in a one-off
// container on a Swarm overlay network while it rolls out a new version, to count the requests a
// rolling update loses. Each request resolves the name again and picks one of its addresses at
// random, without falling back to another: a client that retried elsewhere would hide a replica
// that was gone.
package loadcheck

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Second is one line of the report: the requests that ended in the second before At.
type Second struct {
	At     int64          `json:"at"` // Unix milliseconds
	OK     int            `json:"ok"`
	Failed map[string]int `json:"failed,omitempty"` // why → how many
}

// Options bound the load: one request every Interval, each given Timeout.
type Options struct {
	Interval time.Duration
	Timeout  time.Duration
}

// Run sends GET target until ctx ends, writing one JSON Second per second to out (and a last one
// for the requests still in flight when ctx ended).
func Run(ctx context.Context, target string, opts Options, out io.Writer) error {
	u, err := url.Parse(target)
	if err != nil || u.Hostname() == "" {
		return fmt.Errorf("%q is not a URL such as http://tasks.app:8080/ping", target)
	}
	var (
		mu   sync.Mutex
		cur  = Second{Failed: map[string]int{}}
		wg   sync.WaitGroup
		enc  = json.NewEncoder(out)
		tick = time.NewTicker(opts.Interval)
		sec  = time.NewTicker(time.Second)
	)
	defer tick.Stop()
	defer sec.Stop()
	flush := func() {
		mu.Lock()
		defer mu.Unlock()
		cur.At = time.Now().UnixMilli()
		_ = enc.Encode(cur)
		cur = Second{Failed: map[string]int{}}
	}
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			flush()
			return nil
		case <-sec.C:
			flush()
		case <-tick.C:
			wg.Add(1)
			go func() {
				defer wg.Done()
				why := once(u, opts.Timeout)
				mu.Lock()
				defer mu.Unlock()
				if why == "" {
					cur.OK++
				} else {
					cur.Failed[why]++
				}
			}()
		}
	}
}

// once sends one request to one address of the host, chosen at random; "" when it answered 200.
func once(u *url.URL, timeout time.Duration) string {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	addrs, err := net.DefaultResolver.LookupHost(ctx, u.Hostname())
	if err != nil || len(addrs) == 0 {
		return "no address"
	}
	addr := net.JoinHostPort(addrs[rand.IntN(len(addrs))], u.Port())
	client := &http.Client{Transport: &http.Transport{
		DisableKeepAlives: true,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		},
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "bad request"
	}
	resp, err := client.Do(req)
	if err != nil {
		return reason(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Sprintf("status %d", resp.StatusCode)
	}
	return ""
}

// reason names a failure in a few stable words the runner can count.
func reason(err error) string {
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed"
	case errors.Is(err, context.DeadlineExceeded), strings.Contains(err.Error(), "timeout"):
		return "no answer in time"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return "address unreachable"
	}
	return "other error"
}
