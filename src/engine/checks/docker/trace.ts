import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import { randomHex } from '../../util/random-hex.js';
import { defineCheck } from '../define.js';
import { fail, join, pass } from '../outcome.js';
import { notStarted, probeError } from './explain.js';
import { httpRequest, sleep } from './http-client.js';
import { neverReady, runUntilReady, type Started } from './measure.js';

/**
 * http.trace-context: the app continues a caller's W3C trace and its logs say so. The runner sends
 * its requests each to its own path: one with a valid `traceparent` (a made-up trace and parent
 * span, sampled), one whose trace id is all zeros and one whose span id is (invalid by the spec), one
 * whose trace id is not hex, one with none. It reads the
 * `traceparent` each answer carries and the app's JSON log lines. The first must continue the trace
 * with a span id of the app's own and keep the flags; the others must start a valid new trace; the
 * log line of each request must carry the answered trace_id and span_id.
 */

export interface TraceparentParts {
  readonly version: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly flags: string;
}

const hexOf = (digits: number) => new RegExp(`^[0-9a-f]{${digits}}$`);

/** A W3C traceparent of version 00, or undefined (ids of all zeros are invalid). */
export const parseTraceparent = (header: string | null | undefined): TraceparentParts | undefined => {
  const parts = (header ?? '').trim().split('-');
  if (parts.length !== 4) return undefined;
  const [version, traceId, spanId, flags] = parts as [string, string, string, string];
  const ok = version === '00' && hexOf(32).test(traceId) && hexOf(16).test(spanId) && hexOf(2).test(flags) && /[^0]/.test(traceId) && /[^0]/.test(spanId);
  return ok ? { version, traceId, spanId, flags } : undefined;
};

/** A valid header; an all-zero trace id; an all-zero span id (both invalid); no header; a trace id that is not hex. */
export type TraceCase = 'valid' | 'invalid' | 'zero-span' | 'none' | 'malformed';

export interface TraceRequest {
  readonly kind: TraceCase;
  readonly path: string;
  /** The traceparent sent, if any. */
  readonly sent: string | null;
  readonly status: number | null;
  readonly error: string | null;
  /** The traceparent the app answered with. */
  readonly answered: string | null;
}

/** A JSON log line of one of the runner's requests: its path and trace fields as logged. */
export interface TraceLogLine {
  readonly path: string;
  readonly traceId: string | null;
  readonly spanId: string | null;
}

export interface TraceMeasurement {
  readonly start: Started;
  readonly notUp?: string;
  readonly requests?: readonly TraceRequest[];
  readonly logLines?: readonly TraceLogLine[];
}

const field = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The JSON log lines whose `path` is one of the runner's paths. */
export const requestLogLines = (stdout: string, paths: readonly string[]): TraceLogLine[] =>
  stdout
    .split('\n')
    .flatMap((line) => {
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        return parsed && typeof parsed === 'object' ? [parsed] : [];
      } catch {
        return [];
      }
    })
    .filter((entry) => typeof entry.path === 'string' && paths.includes(entry.path))
    .map((entry) => ({ path: entry.path as string, traceId: field(entry.trace_id), spanId: field(entry.span_id) }));

const sentTraceOf = (r: TraceRequest): string | undefined => r.sent?.split('-')[1];

/** What is wrong with one request's answer and log line, in words; empty when it is right. */
const problemsOf = (r: TraceRequest, lines: readonly TraceLogLine[]): Localized[] => {
  if (r.status === null) {
    const why = probeError(r.error ?? '');
    return [L(`GET ${r.path} got no answer (${why.en}).`, `GET ${r.path} 没有得到响应（${why['zh-CN']}）。`)];
  }
  const problems: Localized[] = [];
  const answered = parseTraceparent(r.answered);
  const sent = parseTraceparent(r.sent);
  // A missing header is said once for all the requests, by the judge.
  if (r.answered && !answered && r.answered.split('-')[1] !== sentTraceOf(r)) {
    problems.push(
      L(
        `GET ${r.path} answered traceparent: ${r.answered}, which is not valid (00-<32 hex>-<16 hex>-<2 hex>, lower case, ids not all zero).`,
        `GET ${r.path} 返回的 traceparent: ${r.answered} 无效（应为 00-<32 位十六进制>-<16 位十六进制>-<2 位十六进制>，小写，ID 不能全为零）。`,
      ),
    );
  } else if (answered && r.kind === 'valid' && sent) {
    if (answered.traceId !== sent.traceId) {
      problems.push(
        L(
          `Sent trace ${sent.traceId}, but the app answered with trace ${answered.traceId}: it started a new trace instead of continuing the caller's, so the request's path through your services is lost.`,
          `发送的 trace 是 ${sent.traceId}，应用返回的却是 ${answered.traceId}：它开始了一个新的 trace，而没有延续调用方的 trace，于是请求经过各个服务的路径就断了。`,
        ),
      );
    } else {
      if (answered.spanId === sent.spanId) {
        problems.push(
          L(
            `The app answered with the caller's span id (${sent.spanId}) as its own: the caller's span is the parent; this request needs a new span id.`,
            `应用把调用方的 span ID（${sent.spanId}）当成了自己的：调用方的 span 是父 span，这个请求需要一个新的 span ID。`,
          ),
        );
      }
      if (answered.flags !== sent.flags) {
        problems.push(
          L(
            `Sent flags ${sent.flags} (sampled), answered ${answered.flags}: keep the caller's flags, or its sampling decision is lost.`,
            `发送的 flags 是 ${sent.flags}（已采样），返回的是 ${answered.flags}：要保留调用方的 flags，否则它的采样决定就丢了。`,
          ),
        );
      }
    }
  }
  // An invalid header must start a new trace: the answer must not carry the sent trace id.
  const sentTrace = sentTraceOf(r);
  if (r.kind === 'malformed' && sentTrace && r.answered?.split('-')[1] === sentTrace) {
    problems.push(
      L(
        `Sent a traceparent whose trace id is not 32 lower-case hex digits (${sentTrace}), and the app continued it: ParseTraceparent must check the format of both ids (isHexID), not only that they are not all zeros, so the request starts a new trace.`,
        `发送的 traceparent 中 trace ID 不是 32 位小写十六进制数（${sentTrace}），应用却沿用了它：ParseTraceparent 必须校验两个 ID 的格式（isHexID），而不只是检查它们不全为零，这样请求才会开始一个新的 trace。`,
      ),
    );
  }
  if ((r.kind === 'invalid' || r.kind === 'zero-span') && sentTrace && r.answered?.split('-')[1] === sentTrace) {
    const which = r.kind === 'invalid' ? L('trace id', 'trace ID') : L('span id', 'span ID');
    problems.push(
      L(
        `Sent a traceparent whose ${which.en} is all zeros, which the spec declares invalid, and the app continued it: ParseTraceparent must reject ids of all zeros (isHexID for both ids), so the request starts a new trace.`,
        `发送的 traceparent 中 ${which['zh-CN']} 全为零（规范规定它无效），应用却沿用了它：ParseTraceparent 必须拒绝全为零的 ID（两个 ID 都用 isHexID 校验），这样请求才会开始一个新的 trace。`,
      ),
    );
  }
  // The last line of the path is the runner's request (the wait for /health came before it).
  const line = lines.filter((l) => l.path === r.path).pop();
  // Without a header to read, the log line still shows whether the caller's trace was continued.
  if (!r.answered && r.kind === 'valid' && sent && line && line.traceId !== sent.traceId) {
    problems.push(
      L(
        `Sent trace ${sent.traceId}, but the log line of GET ${r.path} has trace_id=${line.traceId ?? '-'}: the app started a new trace instead of continuing the caller's (read the traceparent header).`,
        `发送的 trace 是 ${sent.traceId}，但 GET ${r.path} 的日志行是 trace_id=${line.traceId ?? '-'}：应用开始了新的 trace，而没有延续调用方的 trace（要读取 traceparent 头）。`,
      ),
    );
  }
  if (!line) {
    problems.push(L(`No JSON log line of GET ${r.path} was found on stdout.`, `在标准输出中找不到 GET ${r.path} 的 JSON 日志行。`));
  } else if (answered && (line.traceId !== answered.traceId || line.spanId !== answered.spanId)) {
    const logged = `trace_id=${line.traceId ?? '-'}, span_id=${line.spanId ?? '-'}`;
    problems.push(
      L(
        `The log line of GET ${r.path} has ${logged}, not the request's trace_id=${answered.traceId}, span_id=${answered.spanId}: log with the request's context so its ids are on every line.`,
        `GET ${r.path} 的日志行是 ${logged}，而不是这个请求的 trace_id=${answered.traceId}、span_id=${answered.spanId}：用请求的 context 记录日志，每一行才会带上它的 ID。`,
      ),
    );
  }
  return problems;
};

export const httpTraceContext = defineCheck({
  id: 'http.trace-context',
  kind: 'docker',
  title: L('Requests continue the caller’s trace, and their logs say so', '请求延续调用方的 trace，日志中也能看到'),
  params: s.object({
    /** One path per request: valid traceparent, all-zero trace id, all-zero span id, none, a trace id that is not hex. */
    paths: s.array(s.string()).min(4).max(5).default(['/ping', '/health', '/api/v1/runtime', '/version', '/health/ready']),
  }),
  measure: async (ctx, params): Promise<TraceMeasurement> => {
    const app = await runUntilReady(ctx);
    if (!('hostPort' in app)) return app;
    const { start, hostPort } = app;
    const [validPath, invalidPath, zeroSpanPath, nonePath, malformedPath] = params.paths as [string, string, string, string, string?];
    const plan: { kind: TraceCase; path: string; sent: string | null }[] = [
      { kind: 'valid', path: validPath, sent: `00-${randomHex(32)}-${randomHex(16)}-01` },
      { kind: 'invalid', path: invalidPath, sent: `00-${'0'.repeat(32)}-${randomHex(16)}-01` },
      { kind: 'zero-span', path: zeroSpanPath, sent: `00-${randomHex(32)}-${'0'.repeat(16)}-01` },
      { kind: 'none', path: nonePath, sent: null },
      // Not zeros, just not hex: a parser that only rules out zeros continues it.
      ...(malformedPath ? [{ kind: 'malformed' as const, path: malformedPath, sent: `00-${randomHex(28)}zzzz-${randomHex(16)}-01` }] : []),
    ];
    const logged = async () => requestLogLines((await ctx.docker.logs(start.id)).stdout, params.paths);
    const count = (all: readonly TraceLogLine[]) => params.paths.map((path) => all.filter((l) => l.path === path).length);
    // The wait for /health logged lines of its own: the runner's are the ones after these.
    const before = count(await logged());
    const requests: TraceRequest[] = [];
    for (const p of plan) {
      const a = await httpRequest({ port: hostPort, path: p.path, timeoutMs: 5_000, withHeaders: true, headers: p.sent ? { traceparent: p.sent } : {} });
      requests.push({
        ...p,
        status: a.ok ? a.answer.status : null,
        error: a.ok ? null : a.error,
        answered: a.ok ? (a.answer.headers?.traceparent ?? null) : null,
      });
    }
    // A request's line is written once its answer is: wait until each path has one more line than
    // before (the judge reads the last line of each path, the runner's).
    let lines: TraceLogLine[] = [];
    for (let i = 0; i < 10 && !ctx.signal.aborted; i += 1) {
      lines = await logged();
      if (count(lines).every((n, k) => n > (before[k] ?? 0))) break;
      await sleep(100, ctx.signal);
    }
    return { start, requests, logLines: lines };
  },
  judge: (m) => {
    if (!m.start.started) return notStarted(m.start);
    if (m.notUp !== undefined || !m.requests || !m.logLines)
      return fail(neverReady(m.notUp, '/health', L('the app must run before its traces can be read.', '应用要先运行起来，才能读取它的 trace。')));
    const logLines = m.logLines;
    const bare = m.requests.filter((r) => r.status !== null && !r.answered).map((r) => `GET ${r.path}`);
    const missing = bare.length
      ? L(
          `${bare.join(', ')} answered without a traceparent header: return the request's own (c.Header("traceparent", ...) before c.Next()), so the caller can link its span to yours.`,
          `${bare.join('、')} 的响应没有 traceparent 头：返回这个请求自己的 traceparent（在 c.Next() 之前 c.Header("traceparent", ...)），调用方才能把它的 span 和你的关联起来。`,
        )
      : undefined;
    const problems = [...(missing ? [missing] : []), ...m.requests.flatMap((r) => problemsOf(r, logLines))];
    const measured = {
      continued: (() => {
        const valid = m.requests.find((r) => r.kind === 'valid');
        return Boolean(valid && parseTraceparent(valid.answered)?.traceId === parseTraceparent(valid.sent)?.traceId);
      })(),
      logged: m.requests.filter((r) => logLines.some((l) => l.path === r.path && l.traceId && l.traceId === parseTraceparent(r.answered)?.traceId)).length,
    };
    if (problems.length) return fail(join(...problems), measured);
    const valid = m.requests.find((r) => r.kind === 'valid') as TraceRequest;
    const answered = parseTraceparent(valid.answered) as TraceparentParts;
    const malformed = m.requests.some((r) => r.kind === 'malformed');
    return pass(
      L(
        `GET ${valid.path} with trace ${answered.traceId} was answered in that trace with a span of its own (${answered.spanId}), and its log line carries both; an all-zero trace id, an all-zero span id${malformed ? ', a trace id that is not hex' : ''} and no header each started a new trace, logged the same way.`,
        `带着 trace ${answered.traceId} 的 GET ${valid.path} 在同一个 trace 中得到了响应，并有自己的 span（${answered.spanId}），它的日志行也带着这两个 ID；全零的 trace ID、全零的 span ID${malformed ? '、不是十六进制的 trace ID' : ''} 和没有这个头的请求都开始了新的 trace，日志也一样记录了。`,
      ),
      measured,
    );
  },
});
