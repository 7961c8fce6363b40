import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseLoad, releaseLimitMs, swarmRollingUpdate, tally, type RollingMeasurement } from '../../../src/engine/checks/docker/rolling-update.js';
import { parseRunnerStacks, parseServiceInspect, parseServiceTasks, runnerStackFile } from '../../../src/engine/docker/swarm-stack.js';

// swarm.rolling-update's judge on measurements shaped like the recorded ones (judges.test.ts replays those).
const spec = {
  replicas: 2,
  parallelism: 1,
  order: 'start-first',
  failureAction: 'rollback',
  monitorSeconds: 10,
  delaySeconds: 10,
  healthcheck: 'image' as const,
};
const right: RollingMeasurement = {
  swarm: 'initialised',
  spec,
  converged: { ok: true, running: 2, seconds: 6.1, errors: [] },
  baseline: { ok: 19, failed: {} },
  v2: { state: 'completed', message: 'update completed', seconds: 23.4, running: { v2: 2 }, slots: 2, minRunning: 2, load: { ok: 499, failed: {} } },
  v3: { state: 'rollback_completed', message: 'rollback completed', seconds: 6.8, running: { v2: 2 }, slots: 1, load: { ok: 177, failed: {} } },
};
const check = swarmRollingUpdate.bind({});
const judge = (m: RollingMeasurement) => {
  if (check.kind !== 'docker') throw new Error('swarm.rolling-update is a Docker check');
  return check.judge(m, { dockerfilePath: 'Dockerfile', history: {} });
};

describe('swarm.rolling-update judge', () => {
  it('passes two replicas released without a failed request and a broken version rolled back after one', () => {
    const o = judge(right);
    expect(o.status).toBe('pass');
    expect(o.message.en).toContain('v2 replaced them in 23.4 s while 499 requests were sent, none failed');
    expect(o.message.en).toContain('the broken v3 reached one replica and Swarm rolled it back by itself in 6.8 s');
    expect(o.measured).toMatchObject({ replicas: 2, v2Failed: 0, v3Slots: 1, v3State: 'rollback_completed' });
  });
  it('reports swarm mode off as not run, with the way to let the runner turn it on, never as a fail', () => {
    const o = judge({ swarm: 'off', swarmState: 'inactive' });
    expect(o.status).toBe('skip');
    expect(o.reason).toBe('needs-swarm');
    expect(o.message.en).toContain('npx learn-go-docker verify --swarm');
    expect(o.message['zh-CN']).toContain('verify --swarm');
    expect(judge({ swarm: 'worker' }).status).toBe('skip');
    expect(judge({ swarm: 'unusable', swarmState: 'error', swarmError: 'boom' }).message.en).toContain('state error: boom');
  });
  it('fails the start: one replica updated stop-first leaves a gap with no task, in the numbers measured', () => {
    const o = judge({
      ...right,
      spec: { ...spec, replicas: 1, order: 'stop-first', failureAction: 'pause', monitorSeconds: 5 },
      v2: { ...right.v2!, seconds: 17.6, running: { v2: 1 }, slots: 1, load: { ok: 158, failed: { 'no address': 222 } } },
    });
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain('222 of 380 requests failed (222 × no address)');
    expect(o.message.en).toContain('With one replica and order: stop-first');
    expect(o.message['zh-CN']).toContain('222 个解析不到地址');
  });
  it('explains lost requests by stop-first with two replicas, and by a missing health check', () => {
    const lost = { ...right.v2!, load: { ok: 400, failed: { 'connection refused': 3 } } };
    expect(judge({ ...right, spec: { ...spec, order: 'stop-first' }, v2: lost }).message.en).toContain(
      'a replica is stopped before its replacement is healthy',
    );
    expect(judge({ ...right, spec: { ...spec, healthcheck: 'none' }, v2: lost }).message.en).toContain('The service has no health check');
  });
  it('fails one replica even when its release lost nothing', () => {
    const o = judge({ ...right, spec: { ...spec, replicas: 1 }, v2: { ...right.v2!, running: { v2: 1 } } });
    expect(o.message.en).toContain('the service runs 1 replica: when it crashes');
  });
  it('fails a broken release that paused instead of rolling back, and one that reached every replica', () => {
    const paused = judge({
      ...right,
      spec: { ...spec, failureAction: 'pause' },
      v3: { ...right.v3!, state: 'paused', message: 'update paused due to failure' },
    });
    expect(paused.message.en).toContain("was not rolled back: the update paused (failure_action: pause, Swarm's default)");
    expect(paused.message.en).toContain('failure_action: rollback');
    const wide = judge({ ...right, spec: { ...spec, parallelism: 0 }, v3: { ...right.v3!, slots: 2 } });
    expect(wide.message.en).toContain('only after it had reached 2 replicas (update_config parallelism: 0, all at once)');
    expect(wide.message['zh-CN']).toContain('金丝雀');
  });
  it('fails a canary without a delay: reaching two replicas, or one by luck, both with the reason', () => {
    const two = judge({ ...right, spec: { ...spec, delaySeconds: 0 }, v3: { ...right.v3!, slots: 2 } });
    expect(two.message.en).toContain('rolled back but reached 2 replicas: with parallelism: 1 and no delay');
    const lucky = judge({ ...right, spec: { ...spec, delaySeconds: 0 } });
    expect(lucky.status).toBe('fail');
    expect(lucky.message.en).toContain('reached one replica this time, by luck');
    expect(lucky.message.en).toContain('update_config delay: 5s');
    expect(lucky.message['zh-CN']).toContain('运气');
  });
  it('fails a load client that cannot join, naming attachable, and a stack Docker refused', () => {
    const o = judge({ ...right, baseline: undefined, v2: undefined, v3: undefined, loadError: 'network x_web not manually attachable.' });
    expect(o.message.en).toContain("keep attachable: true on the service's overlay network in stack.yaml");
    expect(judge({ swarm: 'found', deployError: 'unsupported Compose file version: 1.0' }).message.en).toContain('version: "3.8"');
    expect(judge({ swarm: 'found', missingService: true }).message.en).toContain('no service named app');
  });
  it('fails replicas that never all ran, with the task errors seen', () => {
    const o = judge({ ...right, converged: { ok: false, running: 0, seconds: 90, errors: ['task: non-zero exit (1)'] } });
    expect(o.message.en).toContain('0 of 2 replicas ran (task: non-zero exit (1))');
  });
});

describe('swarm.rolling-update judge, after the review', () => {
  it('fails a service without a health check before measuring, whatever the load would say', () => {
    const o = judge({ ...right, spec: { ...spec, healthcheck: 'none' } });
    expect(o.status).toBe('fail');
    expect(o.message.en).toContain('The service has no health check');
  });
  it('fails stop-first with two replicas by the replicas that ran, though no request failed', () => {
    const o = judge({ ...right, spec: { ...spec, order: 'stop-first' }, v2: { ...right.v2!, minRunning: 1 } });
    expect(o.message.en).toContain('at one moment only 1 of 2 replicas ran (order: stop-first)');
    expect(o.measured).toMatchObject({ v2MinRunning: 1 });
  });
  it('fails a delay shorter than the minimum as luck, and a canary left undecided in its own words', () => {
    expect(judge({ ...right, spec: { ...spec, delaySeconds: 1 } }).message.en).toContain('reached one replica this time, by luck');
    const undecided = judge({ ...right, v3: { ...right.v3!, state: 'timeout', seconds: 150 } });
    expect(undecided.message.en).toContain('Swarm had not decided about the broken v3');
    expect(undecided.message.en).not.toContain('Set update_config: failure_action: rollback');
  });
  it('says a paused release leaves the spec on v3, and names a refused file without blaming version: when it is not that', () => {
    const paused = judge({ ...right, spec: { ...spec, failureAction: 'pause' }, v3: { ...right.v3!, state: 'paused', running: { v2: 2 } } });
    expect(paused.message.en).toContain('the replicas still on v2 answer, but every task Swarm starts from now on');
    const refused = judge({ swarm: 'found', deployError: 'network "backend" is declared as external, but could not be found' });
    expect(refused.message.en).not.toContain('version: "3.8"');
  });
  it('tells that ports were left out, and names the networks the load could not join', () => {
    expect(judge({ ...right, unpublished: ['app'] }).message.en).toContain('The runner left out the ports: of app');
    const o = judge({ ...right, baseline: undefined, v2: undefined, v3: undefined, loadError: 'not attachable', networks: ['s_web', 's_db'] });
    expect(o.message.en).toContain('could not join any network of the service (s_web, s_db)');
  });
  it('gives a slow release time by its spec, within bounds', () => {
    expect(releaseLimitMs({ replicas: 2, delaySeconds: 10, monitorSeconds: 10 })).toBe(150_000);
    expect(releaseLimitMs({ replicas: 4, delaySeconds: 20, monitorSeconds: 10 })).toBe(280_000);
    expect(releaseLimitMs({ replicas: 20, delaySeconds: 60, monitorSeconds: 120 })).toBe(600_000);
  });
});

describe('the load report and the stretches of a release', () => {
  const out = ['{"at":1000,"ok":19}', 'not json', '{"at":2000,"ok":5,"failed":{"no address":15}}', '{"at":3000,"ok":20}'].join('\n');
  it('reads the seconds and sums them by stretch (from, to]', () => {
    const seconds = parseLoad(out);
    expect(seconds).toHaveLength(3);
    expect(tally(seconds, 0, 1000)).toEqual({ ok: 19, failed: {} });
    expect(tally(seconds, 1000, Number.MAX_SAFE_INTEGER)).toEqual({ ok: 25, failed: { 'no address': 15 } });
  });
});

describe('Swarm output', () => {
  it('reads a service: replicas, update settings with Swarm defaults, health check, the update state', () => {
    const s = parseServiceInspect(
      JSON.stringify([
        {
          Spec: {
            Mode: { Replicated: { Replicas: 2 } },
            UpdateConfig: { Parallelism: 1, FailureAction: 'rollback', Monitor: 10e9, Order: 'start-first' },
            TaskTemplate: { ContainerSpec: { Image: 'notes:v2@sha256:abc123' }, Networks: [{ Target: 'net1' }] },
          },
          UpdateStatus: { State: 'rollback_completed', StartedAt: '2026-11-29T18:00:00.5Z', Message: 'rollback completed' },
        },
      ]),
    );
    expect(s).toMatchObject({ replicas: 2, image: 'notes:v2', networks: ['net1'], healthcheck: null, updateState: 'rollback_completed' });
    expect(s.update).toEqual({ parallelism: 1, order: 'start-first', failureAction: 'rollback', monitorSeconds: 10, delaySeconds: 0 });
    expect(s.updateStartedAt).toBe(Date.parse('2026-11-29T18:00:00.5Z'));
    const bare = parseServiceInspect(JSON.stringify([{ Spec: { Mode: { Replicated: {} }, TaskTemplate: { ContainerSpec: { Image: 'x' } } } }]));
    expect(bare.update).toEqual({ parallelism: 1, order: 'stop-first', failureAction: 'pause', monitorSeconds: 5, delaySeconds: 0 });
    expect(bare.updateStartedAt).toBe(0);
  });
  it('reads tasks with their slot, the replaced ones too', () => {
    const tasks = parseServiceTasks(
      [
        '{"Name":"s_app.1","Image":"t:v3","DesiredState":"Shutdown","CurrentState":"Failed 5 seconds ago","Error":"task: non-zero exit (1)"}',
        '{"Name":" \\\\_ s_app.1","Image":"t:v1@sha256:ff","DesiredState":"Running","CurrentState":"Running 9 seconds ago","Error":""}',
      ].join('\n'),
    );
    expect(tasks.map((t) => [t.name, t.image, t.desired])).toEqual([
      ['s_app.1', 't:v3', 'Shutdown'],
      ['s_app.1', 't:v1', 'Running'],
    ]);
    expect(tasks[0]?.error).toBe('task: non-zero exit (1)');
  });
  it('finds the runner stacks by the namespace label of their services', () => {
    const stacks = parseRunnerStacks(
      JSON.stringify([
        { CreatedAt: '2026-11-29T18:00:00Z', Spec: { Labels: { 'com.docker.stack.namespace': 'learn-go-docker-ab', 'learn-go-docker.pid': '42' } } },
        { Spec: { Labels: { 'learn-go-docker': '1' } } },
      ]),
    );
    expect(stacks).toEqual([
      {
        stack: 'learn-go-docker-ab',
        labels: { 'com.docker.stack.namespace': 'learn-go-docker-ab', 'learn-go-docker.pid': '42' },
        created: '2026-11-29T18:00:00Z',
      },
    ]);
  });
  it("writes the runner's copy of a stack file: its image, labels and limits, no port, the learner's networks untouched", () => {
    const learner = [
      'version: "3.8"',
      'x-common: &common',
      '  stop_grace_period: 10s',
      'services:',
      '  app:',
      '    <<: *common',
      '    image: ${IMAGE:?set IMAGE}',
      '    ports: ["8080:8080"]',
      '    networks: [front]',
      '    deploy:',
      '      replicas: 2',
      '      labels: ["team=notes"]',
      '      resources: { limits: { memory: 64M } }',
      '  db:',
      '    image: postgres:17-trixie',
      'networks:',
      '  front: { driver: overlay, attachable: true }',
    ].join('\n');
    const copy = runnerStackFile(learner, { service: 'app', image: 'learn-go-docker/x:held-1-ab1', labels: { 'learn-go-docker': '1' }, cpuQuota: true });
    if (!copy.ok) throw new Error('the copy was refused');
    expect(copy.unpublished).toEqual(['app']);
    const doc = parse(copy.text) as { services: Record<string, Record<string, unknown>>; networks: unknown };
    const app = doc.services.app as {
      image: string;
      ports?: unknown;
      stop_grace_period: string;
      deploy: { replicas: number; labels: unknown; resources: { limits: unknown } };
    };
    expect(app.image).toBe('learn-go-docker/x:held-1-ab1');
    expect(app.ports).toBeUndefined();
    expect(app.stop_grace_period).toBe('10s');
    expect(app.deploy.replicas).toBe(2);
    expect(app.deploy.labels).toEqual({ team: 'notes', 'learn-go-docker': '1' });
    // The learner's 64M is tighter than the runner's 512m: kept (in bytes).
    expect(app.deploy.resources.limits).toEqual({ memory: String(64 * 1024 * 1024), cpus: '1' });
    expect((doc.services.db as { deploy: { labels: unknown } }).deploy.labels).toEqual({ 'learn-go-docker': '1' });
    expect(doc.networks).toEqual({ front: { driver: 'overlay', attachable: true } });
    expect(runnerStackFile(learner, { service: 'notes', image: 'x', labels: {}, cpuQuota: false })).toEqual({ ok: false, missingService: true });
    const dnsrr = learner.replace('      replicas: 2', '      replicas: 2\n      endpoint_mode: dnsrr');
    expect(runnerStackFile(dnsrr, { service: 'app', image: 'x', labels: {}, cpuQuota: false })).toMatchObject({
      ok: false,
      error: expect.stringContaining("can't be used with dnsrr mode"),
    });
    expect(runnerStackFile('services: [', { service: 'app', image: 'x', labels: {}, cpuQuota: false }).ok).toBe(false);
  });
});
