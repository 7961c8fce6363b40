import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { dockerForTests, labelledObjects, ROOT } from './helpers.js';

// Ctrl-C during `learn-go-docker verify` (the built CLI, `npm run build`): the verify's
// containers go away. Skipped until dist/cli.cjs exists (test-all.sh builds it before these tests).
const caps = await dockerForTests();
const cli = join(ROOT, 'dist', 'cli.cjs');

describe.skipIf(!caps || !existsSync(cli))('SIGINT during CLI verify', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('leaves no labelled container, volume or network of the verify process', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lgd-cli-interrupt-'));
    const ws = join(dir, 'lab');
    const run = (args: string[]) => execa('node', [cli, ...args], { reject: false, timeout: 300_000, env: { ...process.env, LEARN_GO_DOCKER_LANG: 'en' } });
    expect((await run(['init', '--yes', '--dir', ws])).exitCode).toBe(0);
    expect((await run(['solution', '--apply', '--yes', '--dir', ws])).exitCode).toBe(0);
    // Warm the build cache so the verify below reaches its containers quickly.
    await run(['verify', '--json', '--dir', ws]);
    const child = run(['verify', '--json', '--dir', ws]);
    const pid = child.pid ?? 0;
    const filter = `label=learn-go-docker.pid=${pid}`;
    const t0 = Date.now();
    let seen: string[] = [];
    while (Date.now() - t0 < 120_000 && child.exitCode === null) {
      seen = await labelledObjects(filter);
      if (seen.some((o) => o.startsWith('container'))) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(
      seen.some((o) => o.startsWith('container')),
      'the verify never started a container',
    ).toBe(true);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, result.stderr).toBe(130);
    expect(await labelledObjects(filter)).toEqual([]);
  });
});
