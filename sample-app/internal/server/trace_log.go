package server

import (
	"context"
	"log/slog"
)

type traceKey struct{}

func withTrace(ctx context.Context, t Trace) context.Context {
	return context.WithValue(ctx, traceKey{}, t)
}

// TraceFrom returns the request's trace, if Tracing has run.
func TraceFrom(ctx context.Context) (Trace, bool) {
	t, ok := ctx.Value(traceKey{}).(Trace)
	return t, ok
}

// traceHandler adds trace_id and span_id to every record logged with a
// request's context (logger.InfoContext(ctx, ...), LogAttrs(ctx, ...)), so
// the lines of one request can be found among all the others, and in the
// logs of every service the trace went through.
type traceHandler struct{ slog.Handler }

func (h traceHandler) Handle(ctx context.Context, r slog.Record) error {
	if t, ok := TraceFrom(ctx); ok {
		r.AddAttrs(slog.String("trace_id", t.TraceID), slog.String("span_id", t.SpanID))
	}
	return h.Handler.Handle(ctx, r)
}

func (h traceHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return traceHandler{h.Handler.WithAttrs(attrs)}
}

func (h traceHandler) WithGroup(name string) slog.Handler {
	return traceHandler{h.Handler.WithGroup(name)}
}

// withTraceIDs returns a logger whose lines carry the trace of their context.
func withTraceIDs(l *slog.Logger) *slog.Logger {
	if _, ok := l.Handler().(traceHandler); ok {
		return l
	}
	return slog.New(traceHandler{l.Handler()})
}
