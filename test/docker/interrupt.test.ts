import { join } from 'node:path';
import { build } from 'esbuild';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DockerAbortedError } from '../../src/engine/docker/exec.js';
import { disposeFixture, dockerForTests, expectStatus, fixture, labelledObjects, makeWorkspace, ROOT, runCheck } from './helpers.js';

// Ctrl-C must never leave labelled containers, volumes or networks behind: abort through the
// AbortSignal (what the UI does), and SIGINT to a whole process (installInterruptCleanup).
const caps = await dockerForTests();
const sessionObjects = (id: string) => labelledObjects(`label=learn-go-docker.session=${id}`);

describe.skipIf(!caps)('interrupts leave nothing behind', () => {
  it('abort during a build', async () => {
    const f = await fixture('slow-build');
    const building = f.session.lessonImage({ BUST: String(Date.now()) });
    const t0 = Date.now();
    while (!f.events.some((e) => e.type === 'build-step' && e.step.includes('RUN')) && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1000));
    f.abort();
    await expect(building).rejects.toBeInstanceOf(DockerAbortedError);
    expect(Date.now() - t0).toBeLessThan(45_000);
    await disposeFixture(f);
    expect(await sessionObjects(f.session.id)).toEqual([]);
  });

  it('abort while a check waits on a running container', async () => {
    const f = await fixture('bind-localhost');
    await f.session.lessonImage();
    const running = runCheck('http.probe', f.ctx, { path: '/ping', deadlineSeconds: 20 });
    await new Promise((r) => setTimeout(r, 1500));
    expect((await sessionObjects(f.session.id)).some((o) => o.startsWith('container'))).toBe(true);
    const t0 = Date.now();
    f.abort();
    const outcome = await running;
    expectStatus(outcome, 'skip');
    expect(outcome.message.en).toBe('Cancelled.');
    expect(Date.now() - t0).toBeLessThan(5_000);
    await disposeFixture(f);
    expect(await sessionObjects(f.session.id)).toEqual([]);
  });

  describe('SIGINT to a process with live sessions', () => {
    const script = join(ROOT, '.tmp', 'interrupt-child.mjs');
    let good = '';
    let slow = '';
    beforeAll(async () => {
      await build({
        entryPoints: [join(ROOT, 'test', 'docker', 'interrupt-child.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile: script,
        packages: 'external',
        logLevel: 'warning',
      });
      good = await makeWorkspace('good');
      slow = await makeWorkspace('slow-build');
    });
    afterAll(async () => {
      const { rm } = await import('node:fs/promises');
      await rm(good, { recursive: true, force: true });
      await rm(slow, { recursive: true, force: true });
    });

    const interrupt = async (dir: string, mode: 'run' | 'build', marker: string) => {
      const child = execa('node', [script, dir, mode], { cwd: ROOT, reject: false, timeout: 180_000, env: { ...process.env } });
      let sessionId = '';
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          const match = new RegExp(`${marker} (\\w+)`).exec(chunk.toString());
          if (match?.[1]) {
            sessionId = match[1];
            resolve();
          }
        });
        void child.then((r) => reject(new Error(`child exited early (${r.exitCode}): ${r.stderr}`)));
      });
      expect((await sessionObjects(sessionId)).length).toBeGreaterThan(mode === 'run' ? 1 : -1);
      child.kill('SIGINT');
      const result = await child;
      expect(result.exitCode, result.stderr).toBe(130);
      expect(await sessionObjects(sessionId)).toEqual([]);
    };

    it('while a container runs: container and volume are removed, exit 130', async () => interrupt(good, 'run', 'READY'));
    it('while a build runs: exit 130, nothing labelled left', async () => interrupt(slow, 'build', 'BUILDING'));
  });
});
