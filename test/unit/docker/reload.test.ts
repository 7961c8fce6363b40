import { describe, expect, it } from 'vitest';
import { containerReload, type ReloadMeasurement } from '../../../src/engine/checks/docker/reload.js';

// container.reload's judge on measurements shaped like the recorded ones (judges.test.ts replays those).
const right: ReloadMeasurement = {
  start: { started: true, id: 'c1', ports: { 8080: 32768 } },
  postBefore: 201,
  afterGood: { running: true, exitCode: null, restarted: false, post: 503, postSeconds: 0.01, get: 200, pingLinesBefore: 1, pingLinesAfter: 1 },
  afterBroken: { running: true, exitCode: null, restarted: false, post: 503 },
  afterRecover: { running: true, post: 201, pingLinesBefore: 1, pingLinesAfter: 1 },
};
const check = containerReload.bind({});
const judge = (m: ReloadMeasurement) => {
  if (check.kind !== 'docker') throw new Error('container.reload is a Docker check');
  return check.judge(m, { dockerfilePath: 'Dockerfile', history: {} });
};

describe('container.reload judge', () => {
  it('passes a reload that applied both settings and survived a broken file', () => {
    expect(judge(right)).toMatchObject({ status: 'pass', measured: { restarted: false, keptAfterBrokenFile: true } });
  });
  it('fails an app that SIGHUP ended, quoting its last lines', () => {
    const o = judge({ ...right, afterGood: { ...right.afterGood!, running: false, exitCode: 129 }, afterBroken: undefined, logTail: ['{"msg":"listening"}'] });
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain('After docker kill -s HUP the app exited (exit code 129)');
    expect(o.message.en).toContain('| {"msg":"listening"}');
  });
  it('fails a restart, a level not applied and reads refused, each in its own words', () => {
    const o = judge({ ...right, afterGood: { ...right.afterGood!, restarted: true, get: 503, pingLinesAfter: 2 } });
    expect(o.message.en).toContain('The container restarted after SIGHUP');
    expect(o.message.en).toContain('In maintenance mode GET /api/v1/notes answered 503');
    expect(o.message.en).toContain('was still logged at INFO');
  });
  it('cannot judge maintenance when writes failed before any reload', () => {
    const o = judge({ ...right, postBefore: 500 });
    expect(o.message.en).toContain('answered 500 before any reload (expected 201)');
  });
  it('fails a reload that stops listening after a broken file', () => {
    const o = judge({ ...right, afterRecover: { running: true, post: 503 } });
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain('the reload stopped listening');
  });
  it('fails a reload that does not keep its result: the next file, without log_level, brought INFO back', () => {
    const o = judge({ ...right, afterRecover: { running: true, post: 201, pingLinesBefore: 1, pingLinesAfter: 2 } });
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain('the level "warn" from the first reload was lost');
    expect(o.message['zh-CN']).toContain('第一次重新加载设置的 "warn" 丢了');
    // Recorded before the runner counted it: no verdict from a count it did not take.
    expect(judge({ ...right, afterRecover: { running: true, post: 201 } }).status).toBe('pass');
  });
});
