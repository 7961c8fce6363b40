import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planClean, runClean } from '../../src/engine/docker/clean-all.js';
import { acquireSwarm, leaveIfIdle, releaseSwarm } from '../../src/engine/docker/swarm.js';
import { dockerForTests } from './helpers.js';

// Swarm mode is left as it was found: turned on only with consent, left by the last user of this
// process, kept on while a service runs on it, and left for a killed run by the next one.
const caps = await dockerForTests();
const bin = () => process.env.LEARN_GO_DOCKER_DOCKER || 'docker';
const docker = async (...args: string[]) => (await execa(bin(), args, { reject: false, timeout: 60_000 })).stdout.trim();
const state = () => docker('info', '--format', '{{.Swarm.LocalNodeState}}');
const gwbridge = async () => (await docker('network', 'ls', '-q', '--filter', 'name=^docker_gwbridge$')) !== '';
const DEAD_PID = 2 ** 22 + 4243;

describe.skipIf(!caps)('swarm mode, as found', () => {
  const cacheBefore = process.env.LEARN_GO_DOCKER_CACHE_DIR;
  beforeAll(() => {
    process.env.LEARN_GO_DOCKER_CACHE_DIR = mkdtempSync(join(tmpdir(), 'learn-go-docker-swarm-cache-'));
  });
  afterAll(async () => {
    await docker('service', 'rm', 'learn-go-docker-keep-test');
    if ((await state()) === 'active') await docker('swarm', 'leave', '--force');
    if (cacheBefore === undefined) delete process.env.LEARN_GO_DOCKER_CACHE_DIR;
    else process.env.LEARN_GO_DOCKER_CACHE_DIR = cacheBefore;
  });

  it('starts from a machine with swarm mode off (the test machine)', async () => {
    expect(await state()).toBe('inactive');
    expect(await gwbridge()).toBe(false);
  });

  it('without consent, reports it off and changes nothing', async () => {
    expect(await acquireSwarm(false)).toMatchObject({ ok: false, reason: 'off' });
    await releaseSwarm();
    expect(await state()).toBe('inactive');
  });

  it('with consent, turns it on once for two users and off after the last, with the gateway bridge', async () => {
    const [a, b] = await Promise.all([acquireSwarm(true), acquireSwarm(true)]);
    expect(a).toEqual({ ok: true, initialised: true });
    expect(b).toBe(a);
    await releaseSwarm();
    expect(await state()).toBe('active');
    await releaseSwarm();
    expect(await state()).toBe('inactive');
    expect(await gwbridge()).toBe(false);
  });

  it('keeps it on while a service runs on it, and leaves it once that is gone', async () => {
    expect(await acquireSwarm(true)).toMatchObject({ ok: true, initialised: true });
    await docker(
      'service',
      'create',
      '--detach',
      '--no-resolve-image',
      '--name',
      'learn-go-docker-keep-test',
      '--restart-condition',
      'none',
      'debian:trixie-slim',
      'true',
    );
    await releaseSwarm();
    expect(await state()).toBe('active');
    await docker('service', 'rm', 'learn-go-docker-keep-test');
    expect(await leaveIfIdle()).toBe(true);
    expect(await state()).toBe('inactive');
  });

  it('clean removes the stack of a run that is gone, and turns off the swarm it turned on', async () => {
    const marker = join(process.env.LEARN_GO_DOCKER_CACHE_DIR as string, 'swarm-init.json');
    await docker('swarm', 'init', '--advertise-addr', '127.0.0.1');
    writeFileSync(marker, JSON.stringify({ pid: DEAD_PID, host: hostname(), removeGwbridge: true }));
    const labels = [
      'learn-go-docker=1',
      `learn-go-docker.pid=${DEAD_PID}`,
      `learn-go-docker.host=${hostname()}`,
      'com.docker.stack.namespace=learn-go-docker-gone',
    ];
    await docker('network', 'create', '--driver', 'overlay', '--label', 'com.docker.stack.namespace=learn-go-docker-gone', 'learn-go-docker-gone_web');
    await docker(
      'service',
      'create',
      '--detach',
      '--no-resolve-image',
      '--name',
      'learn-go-docker-gone_app',
      '--network',
      'learn-go-docker-gone_web',
      ...labels.flatMap((l) => ['--label', l]),
      'debian:trixie-slim',
      'sleep',
      'infinity',
    );
    const plan = await planClean({ docker: true });
    expect(plan.items.filter((i) => i.kind === 'stack').map((i) => [i.name, i.keep])).toEqual([['learn-go-docker-gone', undefined]]);
    // Only the stack: the rest of the machine's course objects are other tests' business.
    const result = await runClean({ docker: true, items: plan.items.filter((i) => i.kind === 'stack') });
    expect(result.removed.map((i) => i.name)).toContain('learn-go-docker-gone');
    expect(await state()).toBe('inactive');
    expect(await gwbridge()).toBe(false);
  });

  it('leaves a swarm a killed run turned on, and never one nobody marked', async () => {
    await docker('swarm', 'init', '--advertise-addr', '127.0.0.1');
    expect(await leaveIfIdle()).toBe(false); // the learner's own: no marker
    expect(await state()).toBe('active');
    const marker = join(process.env.LEARN_GO_DOCKER_CACHE_DIR as string, 'swarm-init.json');
    writeFileSync(marker, JSON.stringify({ pid: DEAD_PID, host: hostname(), removeGwbridge: true }));
    expect(await leaveIfIdle()).toBe(true);
    expect(await state()).toBe('inactive');
    expect(await gwbridge()).toBe(false);
  });
});
