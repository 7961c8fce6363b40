import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { detectCapabilities, rememberedCapabilities, resetCapabilitiesCache, sameBuilder } from '../../../src/engine/docker/capabilities.js';
import { availableCaps } from '../engine/fakes.js';

// What the learner's Docker offers is probed once and remembered on the machine: a later process
// (the next verify) asks only `docker version`, unless the client, the daemon or the hour changed.
const fake = async (dir: string, serverVersion: string): Promise<string> => {
  const file = join(dir, 'docker');
  await writeFile(
    file,
    `#!/bin/sh\necho "$1 $2" >> ${join(dir, 'calls.log')}\ncase "$1" in\n  version) echo '{"Client":{"Version":"24.0.7"},"Server":{"Version":"${serverVersion}","Os":"linux","Arch":"amd64"}}' ;;\n  buildx) echo 'github.com/docker/buildx v0.12.1' ;;\n  compose) echo 'Docker Compose version v2.24.0' ;;\n  info) echo true ;;\n  *) echo 'Docker version 24.0.7' ;;\nesac\n`,
  );
  await chmod(file, 0o755);
  return file;
};

describe('capabilities', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    resetCapabilitiesCache();
  });

  it('are probed once per machine: the next process asks only docker version, a new daemon version probes again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lgd-caps-'));
    vi.stubEnv('LEARN_GO_DOCKER_CACHE_DIR', join(dir, 'cache'));
    vi.stubEnv('LEARN_GO_DOCKER_DOCKER', await fake(dir, '24.0.7'));
    const calls = async () => (await readFile(join(dir, 'calls.log'), 'utf8')).trim().split('\n');
    const first = await detectCapabilities();
    expect(first).toMatchObject({ available: true, builder: 'buildx', compose: 'v2', cpuQuota: true });
    expect((await calls()).length).toBe(5);
    resetCapabilitiesCache(); // as a new process would start
    const second = await detectCapabilities();
    expect(second).toMatchObject({ builder: 'buildx', compose: 'v2', composeVersion: first.composeVersion, cpuQuota: true });
    expect((await calls()).slice(5)).toEqual(['version --format']);
    vi.stubEnv('LEARN_GO_DOCKER_DOCKER', await fake(dir, '25.0.0'));
    resetCapabilitiesCache();
    await detectCapabilities();
    expect((await calls()).length).toBe(5 + 1 + 5);
  });

  it('are remembered for the next verify without asking Docker, only for the same client, host and context', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lgd-caps-'));
    vi.stubEnv('LEARN_GO_DOCKER_CACHE_DIR', join(dir, 'cache'));
    vi.stubEnv('LEARN_GO_DOCKER_DOCKER', await fake(dir, '24.0.7'));
    expect(await rememberedCapabilities()).toBeUndefined();
    const probed = await detectCapabilities();
    const calls = (await readFile(join(dir, 'calls.log'), 'utf8')).trim().split('\n').length;
    const remembered = await rememberedCapabilities();
    expect(remembered).toEqual(probed);
    // Read from the cache: no docker command.
    expect((await readFile(join(dir, 'calls.log'), 'utf8')).trim().split('\n').length).toBe(calls);
    const host = process.env.DOCKER_HOST;
    vi.stubEnv('DOCKER_HOST', 'tcp://elsewhere:2376');
    expect(await rememberedCapabilities()).toBeUndefined();
    vi.stubEnv('DOCKER_HOST', host);
    // What was found differs from what is remembered (edited, or another builder since): the next
    // probe writes what it found, even while the probed features are still fresh.
    const file = join(dir, 'cache', 'capabilities.json');
    const saved = JSON.parse(await readFile(file, 'utf8')) as { last: { builder: string } };
    await writeFile(file, JSON.stringify({ ...saved, last: { ...saved.last, builder: 'classic' } }));
    expect((await rememberedCapabilities())?.builder).toBe('classic');
    resetCapabilitiesCache();
    await detectCapabilities();
    expect((await rememberedCapabilities())?.builder).toBe(probed.builder);
    // Another client binary (an upgrade): forgotten.
    vi.stubEnv(
      'LEARN_GO_DOCKER_DOCKER',
      await fake(join(dir), '24.0.7').then(async (file) => {
        await writeFile(file, `${await readFile(file, 'utf8')}# upgraded\n`);
        return file;
      }),
    );
    expect(await rememberedCapabilities()).toBeUndefined();
  });

  it('a remembered build is the real one only with the same builder, client and flavour, on a reachable daemon', () => {
    const caps = availableCaps();
    expect(sameBuilder(caps, caps)).toBe(true);
    expect(sameBuilder({ ...caps, builder: 'classic' }, caps)).toBe(false);
    expect(sameBuilder({ ...caps, binary: '/opt/docker' }, caps)).toBe(false);
    expect(sameBuilder({ ...caps, flavour: 'podman' }, caps)).toBe(false);
    expect(sameBuilder({ ...caps, available: false, daemonReachable: false }, caps)).toBe(false);
  });
});

describe('the cache folder', () => {
  afterEach(() => vi.unstubAllEnvs());
  it("sweeps the half-written files of processes that are gone, never a live one's", async () => {
    const { sweepCacheTemps, writeCache } = await import('../../../src/engine/docker/machine-cache.js');
    const dir = await mkdtemp(join(tmpdir(), 'lgd-cache-temps-'));
    vi.stubEnv('LEARN_GO_DOCKER_CACHE_DIR', dir);
    await writeCache('lesson-builds.json', { a: 1 });
    for (const name of ['lesson-builds.json.4242.tmp', 'capabilities.json.77.tmp', 'lesson-builds.json.notapid.tmp']) await writeFile(join(dir, name), '{');
    const gone = await sweepCacheTemps((pid) => pid === 77);
    expect(gone).toEqual(['lesson-builds.json.4242.tmp']);
    expect((await readdir(dir)).sort()).toEqual(['capabilities.json.77.tmp', 'lesson-builds.json', 'lesson-builds.json.notapid.tmp']);
  });
});
