import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { isUserError } from '../../../src/engine/errors.js';
import { DockerAbortedError, DockerCommandError, dockerBinary, dockerOut, runGuarded } from '../../../src/engine/docker/exec.js';

// A fake docker client (a shell script) stands in for a hung or failing daemon.
const fakeDocker = async (body: string): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'lgd-fake-docker-'));
  const file = join(dir, 'docker');
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
};

describe('docker exec wrapper', () => {
  const saved = process.env.LEARN_GO_DOCKER_DOCKER;
  afterEach(() => {
    if (saved === undefined) delete process.env.LEARN_GO_DOCKER_DOCKER;
    else process.env.LEARN_GO_DOCKER_DOCKER = saved;
  });

  it('uses LEARN_GO_DOCKER_DOCKER, else docker on PATH', () => {
    expect(dockerBinary({})).toBe('docker');
    expect(dockerBinary({ LEARN_GO_DOCKER_DOCKER: '/opt/docker' })).toBe('/opt/docker');
  });

  it('turns a daemon that stops answering into a localized UserError, not a hang', async () => {
    process.env.LEARN_GO_DOCKER_DOCKER = await fakeDocker('sleep 30');
    const t0 = Date.now();
    const error = await dockerOut(['info'], { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(isUserError(error)).toBe(true);
    if (isUserError(error)) {
      expect(error.localized.en).toContain('did not answer');
      expect(error.localized['zh-CN']).toContain('没有响应');
      expect(error.next?.en).toContain('docker info');
    }
  });

  it('reports a missing client as a UserError', async () => {
    process.env.LEARN_GO_DOCKER_DOCKER = '/nonexistent/docker';
    const error = await dockerOut(['version']).catch((e: unknown) => e);
    expect(isUserError(error) && error.localized.en).toContain('was not found');
  });

  it('keeps stderr of a failing command and stops on abort', async () => {
    process.env.LEARN_GO_DOCKER_DOCKER = await fakeDocker('echo "Error response from daemon: boom" >&2; exit 1');
    const failed = await dockerOut(['ps']).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(DockerCommandError);
    expect((failed as DockerCommandError).result.stderr).toContain('boom');
    process.env.LEARN_GO_DOCKER_DOCKER = await fakeDocker('sleep 30');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(dockerOut(['build', '.'], { signal: controller.signal, timeoutMs: 20_000 })).rejects.toBeInstanceOf(DockerAbortedError);
  });

  it('leaves no abort listener and no timer behind once a call settles', async () => {
    // Given a long-lived session signal shared by many calls
    const controller = new AbortController();
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    // When three calls complete
    for (let i = 0; i < 3; i += 1) await runGuarded(process.execPath, ['-e', '0'], { signal: controller.signal, timeoutMs: 20_000 });
    // Then nothing listens to the signal any more, and aborting it (dispose) starts no grace timer
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    controller.abort();
    const after = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    expect(after).toBeLessThanOrEqual(before);
  });
});
