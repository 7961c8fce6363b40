import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectCapabilities, resetCapabilitiesCache } from '../../../src/engine/docker/capabilities.js';

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
  const saved = { docker: process.env.LEARN_GO_DOCKER_DOCKER, cache: process.env.LEARN_GO_DOCKER_CACHE_DIR };
  afterEach(() => {
    for (const [k, v] of [
      ['LEARN_GO_DOCKER_DOCKER', saved.docker],
      ['LEARN_GO_DOCKER_CACHE_DIR', saved.cache],
    ] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetCapabilitiesCache();
  });

  it('are probed once per machine: the next process asks only docker version, a new daemon version probes again', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lgd-caps-'));
    process.env.LEARN_GO_DOCKER_CACHE_DIR = join(dir, 'cache');
    process.env.LEARN_GO_DOCKER_DOCKER = await fake(dir, '24.0.7');
    const calls = async () => (await readFile(join(dir, 'calls.log'), 'utf8')).trim().split('\n');
    const first = await detectCapabilities();
    expect(first).toMatchObject({ available: true, builder: 'buildx', compose: 'v2', cpuQuota: true });
    expect((await calls()).length).toBe(5);
    resetCapabilitiesCache(); // as a new process would start
    const second = await detectCapabilities();
    expect(second).toMatchObject({ builder: 'buildx', compose: 'v2', composeVersion: first.composeVersion, cpuQuota: true });
    expect((await calls()).slice(5)).toEqual(['version --format']);
    process.env.LEARN_GO_DOCKER_DOCKER = await fake(dir, '25.0.0');
    resetCapabilitiesCache();
    await detectCapabilities();
    expect((await calls()).length).toBe(5 + 1 + 5);
  });
});
