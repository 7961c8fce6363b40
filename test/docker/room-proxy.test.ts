import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorkshop } from '../../src/engine/index.js';
import { defaultWorkshopHost } from '../../src/engine/workshop/host.js';
import { dockerForTests, ROOT } from './helpers.js';

// Issue 15, a room with no internet: the instructor's server fills its Go module proxy, a learner
// joins with the built CLI, and a lesson build gets its modules from the room. The learner's own
// GOPROXY is `off`, so the build's GOPROXY is `<room>|off`: the lesson passes only if the room
// served every module the build downloaded.
const caps = await dockerForTests();
const cli = join(ROOT, 'dist', 'cli.cjs');

describe.skipIf(!caps || !existsSync(cli))('the room Go module proxy (real engine, built CLI)', () => {
  let dir = '';
  let close: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await close?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("a joined learner's lesson build downloads its modules from the room, with no other proxy", async () => {
    dir = await mkdtemp(join(tmpdir(), 'lgd-room-proxy-'));
    // Builds reach the room on this machine's network address, never on loopback.
    const host = defaultWorkshopHost();
    expect(host, 'this machine has no network address a build can reach').not.toMatch(/^127\.|^::1$/);
    const server = await startWorkshop({ dir: join(dir, 'room'), host, port: 0 });
    close = () => server.close();
    expect(server.roomModules, JSON.stringify(server.roomModules)).toMatchObject({ ok: true });
    expect(server.goproxy).toBe(`${server.url}/goproxy/`);

    const ws = join(dir, 'lab');
    // The learner's own LEARN_GO_DOCKER_GOPROXY would win over the room: left out.
    const { LEARN_GO_DOCKER_GOPROXY: _own, ...inherited } = process.env;
    const env = { ...inherited, LEARN_GO_DOCKER_LANG: 'en', GOPROXY: 'off' };
    const run = (args: string[]) => execa('node', [cli, ...args], { reject: false, timeout: 600_000, env });
    for (const args of [
      ['init', '--yes'],
      ['goto', '2'],
      ['solution', '--apply', '--yes'],
      ['join', server.url, server.code, '--name', 'Proxy'],
    ]) {
      const step = await run([...args, '--dir', ws]);
      expect(step.exitCode, `${args.join(' ')}: ${step.stderr}`).toBe(0);
    }
    const verify = await run(['verify', '--json', '--dir', ws]);
    const result = JSON.parse(verify.stdout) as { passed: boolean; checks: { id: string; status: string; message: string }[] };
    expect(result.passed, JSON.stringify(result.checks, null, 1)).toBe(true);
    // The single-stage image's history shows the build argument the build ran with.
    const docker = process.env.LEARN_GO_DOCKER_DOCKER ?? 'docker';
    const history = (await execa(docker, ['history', '--no-trunc', '--format', '{{.CreatedBy}}', 'learn-go-docker/first-image:verify'], { timeout: 60_000 }))
      .stdout;
    expect(history).toContain(`GOPROXY=${server.goproxy}|off`);
  });
});
