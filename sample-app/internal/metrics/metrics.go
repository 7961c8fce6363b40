// Package metrics is a small Prometheus client: counters and histograms with
// labels, served in the Prometheus text exposition format (version 0.0.4).
//
// Its API follows github.com/prometheus/client_golang (NewCounterVec,
// WithLabelValues(...).Inc(), Observe), which is what a real service should
// use. The notes service carries this instead because client_golang and its
// protobuf dependency add about 5 MB to a 9.5 MB binary, and the tutorial
// builds the image many times on small machines.
package metrics

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Registry holds the metric families a /metrics endpoint serves.
type Registry struct {
	mu       sync.Mutex
	families []family
}

type family interface {
	write(w *bufio.Writer)
	familyName() string
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{} }

func (r *Registry) register(f family) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, existing := range r.families {
		if existing.familyName() == f.familyName() {
			panic("metrics: " + f.familyName() + " registered twice")
		}
	}
	r.families = append(r.families, f)
	sort.Slice(r.families, func(i, j int) bool { return r.families[i].familyName() < r.families[j].familyName() })
}

// WriteTo writes every family in the text exposition format.
func (r *Registry) WriteTo(w io.Writer) (int64, error) {
	r.mu.Lock()
	families := append([]family(nil), r.families...)
	r.mu.Unlock()
	cw := &countingWriter{w: w}
	bw := bufio.NewWriter(cw)
	for _, f := range families {
		f.write(bw)
	}
	err := bw.Flush()
	return cw.n, err
}

// Handler serves the registry, as promhttp.Handler does.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		_, _ = r.WriteTo(w)
	})
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// vec is what counters and histograms share: a name, help, label names and
// one child per distinct list of label values.
type vec[T any] struct {
	name, help string
	labels     []string
	mu         sync.Mutex
	children   map[string]*child[T]
	newValue   func() *T
}

type child[T any] struct {
	values []string
	value  *T
}

func (v *vec[T]) with(values []string) *T {
	if len(values) != len(v.labels) {
		panic(fmt.Sprintf("metrics: %s has %d labels, got %d values", v.name, len(v.labels), len(values)))
	}
	key := strings.Join(values, "\xff")
	v.mu.Lock()
	defer v.mu.Unlock()
	c, ok := v.children[key]
	if !ok {
		c = &child[T]{values: append([]string(nil), values...), value: v.newValue()}
		v.children[key] = c
	}
	return c.value
}

func (v *vec[T]) familyName() string { return v.name }

// sorted returns the children in a stable order, for a stable output.
func (v *vec[T]) sorted() []*child[T] {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make([]*child[T], 0, len(v.children))
	for _, c := range v.children {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return strings.Join(out[i].values, "\xff") < strings.Join(out[j].values, "\xff") })
	return out
}

// labelText renders {a="x",b="y"} with extra pairs appended (le for buckets).
func labelText(names, values []string, extra ...string) string {
	if len(names) == 0 && len(extra) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('{')
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(n + `="` + escape(values[i]) + `"`)
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		b.WriteString(extra[i] + `="` + escape(extra[i+1]) + `"`)
	}
	b.WriteByte('}')
	return b.String()
}

var escaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)

func escape(s string) string { return escaper.Replace(s) }

func number(f float64) string {
	if math.IsInf(f, +1) {
		return "+Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// Counter only goes up.
type Counter struct {
	mu sync.Mutex
	v  float64
}

// Inc adds 1.
func (c *Counter) Inc() { c.Add(1) }

// Add adds d, which must not be negative.
func (c *Counter) Add(d float64) {
	if d < 0 {
		panic("metrics: a counter cannot decrease")
	}
	c.mu.Lock()
	c.v += d
	c.mu.Unlock()
}

func (c *Counter) value() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.v
}

// CounterVec is a counter per list of label values.
type CounterVec struct{ vec[Counter] }

// NewCounterVec registers a counter family with these label names.
func NewCounterVec(r *Registry, name, help string, labels ...string) *CounterVec {
	c := &CounterVec{vec[Counter]{name: name, help: help, labels: labels, children: map[string]*child[Counter]{}, newValue: func() *Counter { return &Counter{} }}}
	r.register(c)
	return c
}

// WithLabelValues returns the counter for these label values, in the order of
// the label names. Every distinct list is a new time series kept forever:
// label values must come from a small, fixed set.
func (c *CounterVec) WithLabelValues(values ...string) *Counter { return c.with(values) }

func (c *CounterVec) write(w *bufio.Writer) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n", c.name, c.help, c.name)
	for _, ch := range c.sorted() {
		fmt.Fprintf(w, "%s%s %s\n", c.name, labelText(c.labels, ch.values), number(ch.value.value()))
	}
}

// Histogram counts observations into cumulative buckets.
type Histogram struct {
	mu     sync.Mutex
	bounds []float64
	counts []uint64 // per bucket, not cumulative; the last one is +Inf
	sum    float64
	count  uint64
}

// Observe records one value (for durations, in seconds).
func (h *Histogram) Observe(v float64) {
	i := sort.SearchFloat64s(h.bounds, v) // first bound >= v: le is inclusive
	h.mu.Lock()
	h.counts[i]++
	h.sum += v
	h.count++
	h.mu.Unlock()
}

// HistogramVec is a histogram per list of label values.
type HistogramVec struct{ vec[Histogram] }

// DefBuckets are client_golang's default buckets, in seconds.
var DefBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// NewHistogramVec registers a histogram family with these bucket bounds
// (ascending) and label names.
func NewHistogramVec(r *Registry, name, help string, buckets []float64, labels ...string) *HistogramVec {
	bounds := append([]float64(nil), buckets...)
	sort.Float64s(bounds)
	h := &HistogramVec{vec[Histogram]{name: name, help: help, labels: labels, children: map[string]*child[Histogram]{}, newValue: func() *Histogram {
		return &Histogram{bounds: bounds, counts: make([]uint64, len(bounds)+1)}
	}}}
	r.register(h)
	return h
}

// WithLabelValues returns the histogram for these label values.
func (h *HistogramVec) WithLabelValues(values ...string) *Histogram { return h.with(values) }

func (h *HistogramVec) write(w *bufio.Writer) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s histogram\n", h.name, h.help, h.name)
	for _, ch := range h.sorted() {
		hist := ch.value
		hist.mu.Lock()
		var cumulative uint64
		for i, bound := range append(append([]float64(nil), hist.bounds...), math.Inf(+1)) {
			cumulative += hist.counts[i]
			fmt.Fprintf(w, "%s_bucket%s %d\n", h.name, labelText(h.labels, ch.values, "le", number(bound)), cumulative)
		}
		fmt.Fprintf(w, "%s_sum%s %s\n", h.name, labelText(h.labels, ch.values), number(hist.sum))
		fmt.Fprintf(w, "%s_count%s %d\n", h.name, labelText(h.labels, ch.values), hist.count)
		hist.mu.Unlock()
	}
}
