import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerDrain, drainSpan, toPhases, type DrainMeasurement } from '../../../src/engine/checks/docker/drain.js';
import { packageRoot } from '../../../src/engine/util/package-root.js';

// container.drain's judge on the solution's recorded measurement, changed the ways a real stop can
// differ (judges.test.ts replays every recording as it was).
const recorded = JSON.parse(
  readFileSync(join(packageRoot(), 'test', 'fixtures', 'docker', 'recorded', 'measurements', 'readiness-and-draining.solution.container.drain.json'), 'utf8'),
) as { measurement: DrainMeasurement };
const solution = recorded.measurement;
const check = containerDrain.bind({ slowSeconds: 2, graceSeconds: 10, minDrainSeconds: 1 });
const judge = (m: DrainMeasurement) => {
  if (check.kind !== 'docker') throw new Error('container.drain is a Docker check');
  return check.judge(m, { dockerfilePath: 'Dockerfile', history: {} });
};

describe('toPhases', () => {
  it('collapses equal consecutive samples and keeps the order', () => {
    expect(
      toPhases([
        { atMs: 0, ready: 200, live: 200 },
        { atMs: 100, ready: 503, live: 200 },
        { atMs: 210, ready: 503, live: 200 },
        { atMs: 320, ready: null, live: null },
        { atMs: 430, ready: null, live: null },
      ]),
    ).toEqual([
      { fromMs: 0, toMs: 0, ready: 200, live: 200 },
      { fromMs: 100, toMs: 210, ready: 503, live: 200 },
      { fromMs: 320, toMs: 430, ready: null, live: null },
    ]);
  });
});

describe('drainSpan', () => {
  it('measures from the first to the last sample with readiness 503 and liveness 200', () => {
    const phases = [
      { fromMs: 0, toMs: 0, ready: 200, live: 200 },
      { fromMs: 112, toMs: 900, ready: 503, live: 200 },
      { fromMs: 1010, toMs: 1010, ready: null, live: 200 },
      { fromMs: 1120, toMs: 1961, ready: 503, live: 200 },
      { fromMs: 2063, toMs: 7152, ready: null, live: null },
    ];
    expect(drainSpan(phases)).toEqual({ fromMs: 112, seconds: 1.849 });
  });
  it('is undefined when readiness never answered 503 while liveness answered 200', () => {
    expect(drainSpan([{ fromMs: 0, toMs: 900, ready: 503, live: 503 }])).toBeUndefined();
  });
});

describe('container.drain judge', () => {
  it('passes the solution and says the drain, the in-flight request and the exit', () => {
    const o = judge(solution);
    expect(o.status).toBe('pass');
    expect(o.message.en).toMatch(/answered 503 for \d\.\d s while \/health answered 200; the request in flight finished/);
    expect(o.measured).toMatchObject({ inFlightStatus: 200, killed: false });
    expect(o.measured?.drainSeconds).toBeGreaterThanOrEqual(1);
  });
  it('fails a drain too short for a load balancer to notice', () => {
    const phases = [
      { fromMs: 0, toMs: 0, ready: 200, live: 200 },
      { fromMs: 110, toMs: 330, ready: 503, live: 200 },
      { fromMs: 440, toMs: 5000, ready: null, live: null },
    ];
    const o = judge({ ...solution, phases });
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain('for only 0.2 s');
  });
  it('fails when the request in flight at the signal was cut', () => {
    const o = judge({ ...solution, inFlight: { status: null, error: 'connection reset', body: '', endedMs: 120 } });
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain('did not finish (connection reset, 0.1 s after the signal)');
  });
  it('fails a request in flight cut when the drain ended, and says that Shutdown, not Close, lets it finish', () => {
    const o = judge({
      ...solution,
      slowSeconds: 3.5,
      env: { DRAIN_DELAY: '2s', SHUTDOWN_TIMEOUT: '5s' },
      inFlight: { status: null, error: 'socket hang up', body: '', endedMs: 2040 },
    });
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain('The 3.5 s request already running when the signal came did not finish');
    expect(o.message.en).toContain('It was cut when DRAIN_DELAY=2s ended: after the drain, srv.Shutdown(ctx) lets the requests still running finish');
    expect(o.message['zh-CN']).toContain('它在 DRAIN_DELAY=2s 结束时被切断了');
  });
  it('fails a stop that docker had to end with SIGKILL, naming the budget', () => {
    const o = judge({ ...solution, stop: { seconds: 10.2, exitCode: 137 }, env: { DRAIN_DELAY: '2s', SHUTDOWN_TIMEOUT: '30s' } });
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain('(DRAIN_DELAY=2s, SHUTDOWN_TIMEOUT=30s)');
    expect(o.measured).toMatchObject({ killed: true });
  });
  it('fails an app that never became ready, before judging any stop', () => {
    const o = judge({ start: solution.start, notReady: { status: 503, error: null, body: '{"status":"not ready"}' } });
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain('never answered 200 before the stop (it answered 503');
  });
});

describe('container.drain judge, the helper trial’s answers', () => {
  it('does not call an app that ended itself at the deadline killed, and still fails it as too tight', () => {
    const o = judge({ ...solution, stop: { seconds: 10.05, exitCode: 1 }, env: { DRAIN_DELAY: '5s', SHUTDOWN_TIMEOUT: '5s' } });
    expect(o.status).toBe('fail');
    expect(o.message.en).not.toContain('had to kill');
    expect(o.message.en).toContain('with less than a second of docker stop');
    expect(o.measured).toMatchObject({ killed: false });
  });
  it('says readiness must turn off before the wait when the app served on without a 503', () => {
    const phases = [
      { fromMs: 0, toMs: 2000, ready: 200, live: 200 },
      { fromMs: 2100, toMs: 7000, ready: null, live: null },
    ];
    const o = judge({ ...solution, phases });
    expect(o.message.en).toContain('before the wait, not after');
  });
});
