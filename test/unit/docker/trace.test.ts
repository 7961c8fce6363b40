import { describe, expect, it } from 'vitest';
import { httpTraceContext, parseTraceparent, requestLogLines, type TraceMeasurement, type TraceRequest } from '../../../src/engine/checks/docker/trace.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const SPAN = 'b7ad6b7169203331';

describe('parseTraceparent', () => {
  it('reads a version-00 header', () => {
    expect(parseTraceparent(`00-${TRACE}-${PARENT}-01`)).toEqual({ version: '00', traceId: TRACE, spanId: PARENT, flags: '01' });
  });
  it('rejects what the spec rejects', () => {
    for (const bad of [
      null,
      '',
      `01-${TRACE}-${PARENT}-01`,
      `00-${TRACE.toUpperCase()}-${PARENT}-01`,
      `00-${'0'.repeat(32)}-${PARENT}-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `00-${TRACE}-${PARENT}`,
      `00-${TRACE}-${PARENT}-1`,
    ])
      expect(parseTraceparent(bad), String(bad)).toBeUndefined();
  });
});

describe('requestLogLines', () => {
  it('keeps the JSON lines of the given paths with their trace fields', () => {
    const stdout = [
      '{"level":"INFO","msg":"listening"}',
      `{"level":"INFO","msg":"request","path":"/ping","trace_id":"${TRACE}","span_id":"${SPAN}"}`,
      '{"level":"INFO","msg":"request","path":"/health"}',
      'not json',
      '{"msg":"request","path":"/other","trace_id":"x"}',
    ].join('\n');
    expect(requestLogLines(stdout, ['/ping', '/health'])).toEqual([
      { path: '/ping', traceId: TRACE, spanId: SPAN },
      { path: '/health', traceId: null, spanId: null },
    ]);
  });
});

// The judge on made-up measurements shaped like the recorded ones (judges.test.ts replays those).
const request = (kind: TraceRequest['kind'], path: string, sent: string | null, answered: string | null): TraceRequest => ({
  kind,
  path,
  sent,
  status: 200,
  error: null,
  answered,
});
const NEW = 'aaaabbbbccccddddeeeeffff00001111';
const right: TraceMeasurement = {
  start: { started: true, id: 'c1', ports: { 8080: 32768 } },
  requests: [
    request('valid', '/ping', `00-${TRACE}-${PARENT}-01`, `00-${TRACE}-${SPAN}-01`),
    request('invalid', '/health', `00-${'0'.repeat(32)}-${PARENT}-01`, `00-${NEW}-${SPAN}-00`),
    request('none', '/version', null, `00-${NEW}-${PARENT}-00`),
  ],
  logLines: [
    { path: '/ping', traceId: TRACE, spanId: SPAN },
    { path: '/health', traceId: NEW, spanId: SPAN },
    { path: '/version', traceId: NEW, spanId: PARENT },
  ],
};
const check = httpTraceContext.bind({});
const judge = (m: TraceMeasurement) => {
  if (check.kind !== 'docker') throw new Error('http.trace-context is a Docker check');
  return check.judge(m, { dockerfilePath: 'Dockerfile', history: {} });
};

describe('http.trace-context judge', () => {
  it('passes a continued trace, new traces for the others, and matching log lines', () => {
    expect(judge(right)).toMatchObject({ status: 'pass', measured: { continued: true, logged: 3 } });
  });
  it('fails a log line without the trace ids, naming what it has', () => {
    const o = judge({ ...right, logLines: [{ path: '/ping', traceId: null, spanId: null }, ...right.logLines!.slice(1)] });
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain('The log line of GET /ping has trace_id=-, span_id=-');
  });
  it('fails when the request got no answer or no log line', () => {
    const o = judge({
      ...right,
      requests: [{ ...right.requests![0]!, status: null, error: 'connection refused' }, ...right.requests!.slice(1)],
      logLines: right.logLines!.slice(1),
    });
    expect(o.message.en).toContain('GET /ping got no answer (connection refused).');
  });
  it('fails an answered header that is not valid', () => {
    const o = judge({ ...right, requests: [request('valid', '/ping', `00-${TRACE}-${PARENT}-01`, 'trace-1'), ...right.requests!.slice(1)] });
    expect(o.message.en).toContain('answered traceparent: trace-1, which is not valid');
  });
  it('fails an app that continues a trace id that is not hex (it only ruled out zeros)', () => {
    const bad = `${TRACE.slice(0, 28)}zzzz`;
    const continued = { ...right, requests: [...right.requests!, request('malformed', '/health/ready', `00-${bad}-${PARENT}-01`, `00-${bad}-${SPAN}-01`)] };
    const o = judge(continued);
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain(`Sent a traceparent whose trace id is not 32 lower-case hex digits (${bad}), and the app continued it`);
    expect(o.message.en).not.toContain('which is not valid');
    expect(o.message['zh-CN']).toContain('不是 32 位小写十六进制数');
    const fresh = {
      ...right,
      requests: [...right.requests!, request('malformed', '/health/ready', `00-${bad}-${PARENT}-01`, `00-${NEW}-${SPAN}-00`)],
      logLines: [...right.logLines!, { path: '/health/ready', traceId: NEW, spanId: SPAN }],
    };
    expect(judge(fresh).status).toBe('pass');
    expect(judge(fresh).message.en).toContain('a trace id that is not hex and no header each started a new trace');
  });
  it('says once which answers carried no traceparent', () => {
    const o = judge({ ...right, requests: right.requests!.map((r) => ({ ...r, answered: null })) });
    expect(o.status).toBe('fail');
    expect(o.message.en.match(/answered without a traceparent header/g)).toHaveLength(1);
    expect(o.message.en).toContain('GET /ping, GET /health, GET /version answered without a traceparent header');
  });
});
