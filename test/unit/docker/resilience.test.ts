import { describe, expect, it } from 'vitest';
import { httpResilience, openedAt, type FrozenRequest, type ResilienceMeasurement } from '../../../src/engine/checks/docker/resilience.js';

// http.resilience's judge on measurements shaped like the recorded ones (judges.test.ts replays those).
const failing = (calls: number): FrozenRequest => ({ status: 503, ms: 1200, body: '{"status":"degraded"}', calls });
const refused: FrozenRequest = { status: 503, ms: 2, body: '{"status":"degraded"}', calls: 0 };
const right: ResilienceMeasurement = {
  start: { started: true, id: 'c1', ports: { 8080: 32768 } },
  healthy: { status: 200, body: '{"upstream":"pong"}', calls: 1 },
  frozen: [failing(3), failing(3), failing(3), failing(3), failing(3), refused, refused, refused, refused, refused],
  recovered: { status: 200, seconds: 4.9 },
  afterRecovery: [200, 200, 200],
  burst: { '200': 20, '429': 40 },
};
const check = httpResilience.bind({});
const judge = (m: ResilienceMeasurement) => {
  if (check.kind !== 'docker') throw new Error('http.resilience is a Docker check');
  return check.judge(m, { dockerfilePath: 'Dockerfile', history: {} });
};

describe('http.resilience judge', () => {
  it('passes a route that keeps its budget, opens its breaker, closes it again and limits a burst', () => {
    const o = judge(right);
    expect(o.status).toBe('pass');
    expect(o.message.en).toContain('the breaker opened after 5 requests (15 calls) and the next 5 made no call');
    expect(o.measured).toMatchObject({ slowestSeconds: 1.2, callsWhileFrozen: 15, openedAfterRequests: 5, limited: 40 });
  });
  it('fails a client that waits for the frozen dependency, without repeating the timeout', () => {
    const o = judge({ ...right, frozen: [{ status: null, ms: 6010, body: 'no answer within the timeout', calls: 0 }] });
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain('got no answer within 6 s: the client waits as long as the dependency does');
  });
  it('fails a request over the budget, and a status other than 503, in that order', () => {
    const slow = judge({ ...right, frozen: [{ ...failing(3), ms: 3300, status: 502 }, ...right.frozen!.slice(1)] });
    expect(slow.message.en).toContain('answered after 3.3 s, over the budget of 2.5 s');
    const gateway = judge({ ...right, frozen: [{ ...failing(3), status: 502 }, ...right.frozen!.slice(1)] });
    expect(gateway.message.en).toContain('answered 502');
    expect(gateway.message.en).toContain('Answer 503 Service Unavailable');
  });
  it('fails a route that never stops calling, naming the calls of the last requests', () => {
    const o = judge({ ...right, frozen: Array.from({ length: 12 }, () => failing(3)) });
    expect(o.message.en).toContain('12 requests with the dependency frozen made 36 calls to it, and the last 5 still made 3, 3, 3, 3, 3');
    expect(o.message['zh-CN']).toContain('3、3、3、3、3');
  });
  it('fails calls that never end (no call counted at all) in their own words, not as calls without a breaker', () => {
    const hanging: FrozenRequest = { status: 503, ms: 2500, body: '{"status":"degraded"}', calls: 0 };
    const o = judge({ ...right, frozen: Array.from({ length: 12 }, () => hanging) });
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain('12 requests ended no call to it (upstream_calls_total did not move)');
    expect(o.message.en).not.toContain('nothing stops calling');
    expect(o.message['zh-CN']).toContain('没有一次对它的调用结束');
  });
  it('fails a breaker that lets the trial through but never closes', () => {
    const o = judge({ ...right, afterRecovery: [503, 503, 503] });
    expect(o.message.en).toContain('answered 200 once (the trial call), then 503, 503, 503: the breaker did not close');
  });
  it('fails a breaker that never lets a trial through, and a burst with no 429', () => {
    expect(judge({ ...right, recovered: { status: 503, seconds: 20 }, afterRecovery: [] }).message.en).toContain('still answered 503 after 20 s');
    expect(judge({ ...right, burst: { '200': 60 } }).message.en).toContain('60 requests at once to /api/v1/upstream got 60 × 200, none 429');
  });
  it('blames a limiter that refuses requests sent one at a time, not the status, and wants a body with the 503', () => {
    const strict = judge({ ...right, frozen: [{ ...failing(3), status: 429, ms: 1, body: '{"error":"too many requests"}' }, ...right.frozen!.slice(1)] });
    expect(strict.message.en).toContain('answered 429 ({"error":"too many requests"}) to requests sent one at a time');
    expect(strict.message.en).not.toContain('Answer 503');
    const bare = judge({ ...right, frozen: right.frozen!.map((r) => ({ ...r, body: '' })) });
    expect(bare.message.en).toContain('answered 503 with an empty body');
  });
  it('counts one request and one call in the singular', () => {
    const o = judge({ ...right, frozen: [failing(1), refused, refused, refused, refused, refused] });
    expect(o.message.en).toContain('the breaker opened after 1 request (1 call) and the next 5 made no call');
  });
  it('cannot see the breaker without the counting transport, and says so', () => {
    const o = judge({ ...right, healthy: { ...right.healthy!, calls: null }, frozen: undefined });
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain('has no upstream_calls_total');
  });
  it('sees the breaker open only after calls were made, and only on a run of requests without one', () => {
    expect(openedAt([refused, refused, refused, refused, refused])).toBe(-1);
    expect(openedAt([failing(1), refused, refused, refused, refused])).toBe(-1);
    expect(openedAt([failing(1), refused, refused, failing(1), refused, refused, refused, refused, refused])).toBe(4);
    expect(openedAt([failing(3), { ...refused, calls: null }, refused, refused, refused, refused])).toBe(-1);
  });
});
