import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanCommand } from '../../src/commands/clean.js';
import type { CommandContext } from '../../src/commands/context.js';
import { dockerForTests } from './helpers.js';

// `learn-go-docker clean` on the real engine: what carries the label goes, nothing else does.
const caps = await dockerForTests();
const bin = () => process.env.LEARN_GO_DOCKER_DOCKER || 'docker';
const docker = async (...args: string[]) => (await execa(bin(), args, { env: { DOCKER_BUILDKIT: '1' } })).stdout.trim();
const exists = async (kind: string, id: string) => (await execa(bin(), [kind, 'inspect', id], { reject: false })).exitCode === 0;
const STAND_INS = ['debian:trixie-slim', 'golang:1.26-trixie', 'gcr.io/distroless/static-debian13:nonroot', 'postgres:17-trixie'];
const DEAD = String(2 ** 22 + 4343);

const context = (interactive: boolean): { ctx: CommandContext; out: () => string; err: () => string } => {
  let out = '';
  let err = '';
  const stream = (append: (s: string) => void) => ({ write: (s: string) => (append(s), true), isTTY: false }) as unknown as NodeJS.WriteStream;
  return {
    ctx: {
      lang: 'en',
      langExplicit: true,
      cwd: process.cwd(),
      stdout: stream((s) => (out += s)),
      stderr: stream((s) => (err += s)),
      interactive,
      color: false,
      signal: new AbortController().signal,
    },
    out: () => out,
    err: () => err,
  };
};

describe.skipIf(!caps)('learn-go-docker clean', () => {
  const labelled: [string, string][] = [];
  const unlabelled: [string, string][] = [];
  let live: [string, string];
  let deadFolder = '';
  let liveFolder = '';
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)'], { stdio: 'ignore' });
  const own = (pid: string) => [
    '--label',
    'learn-go-docker=1',
    '--label',
    `learn-go-docker.pid=${pid}`,
    '--label',
    `learn-go-docker.host=${hostname()}`,
    '--label',
    'learn-go-docker.session=clean-test',
  ];
  const foreign = ['--label', 'lgd-clean-test=not-ours', '--label', 'learn-go-docker.stand-in=true'];

  beforeAll(async () => {
    const ctxDir = await mkdtemp(join(tmpdir(), 'lgd-clean-img-'));
    await writeFile(join(ctxDir, 'Dockerfile'), 'FROM debian:trixie-slim\nRUN echo clean-test > /marker\n');
    await docker(
      'build',
      '-q',
      '--label',
      'learn-go-docker=1',
      '--label',
      'learn-go-docker.lesson=clean-test',
      '-t',
      'learn-go-docker/clean-test:verify',
      ctxDir,
    );
    await docker('build', '-q', ...foreign, '-t', 'lgd-clean-test/not-ours:1', ctxDir);
    await rm(ctxDir, { recursive: true, force: true });
    labelled.push(['container', await docker('create', ...own(DEAD), 'debian:trixie-slim', 'true')]);
    labelled.push(['volume', await docker('volume', 'create', ...own(DEAD))]);
    labelled.push(['network', await docker('network', 'create', ...own(DEAD), `lgd-clean-test-${process.pid}`)]);
    labelled.push(['image', 'learn-go-docker/clean-test:verify']);
    unlabelled.push(['container', await docker('create', ...foreign, 'debian:trixie-slim', 'true')]);
    unlabelled.push(['volume', await docker('volume', 'create', ...foreign)]);
    unlabelled.push(['network', await docker('network', 'create', ...foreign, `lgd-clean-test-foreign-${process.pid}`)]);
    unlabelled.push(['image', 'lgd-clean-test/not-ours:1']);
    // An unlabelled container on our labelled image: Docker keeps the image for it.
    live = ['container', await docker('create', ...own(String(child.pid)), 'debian:trixie-slim', 'true')];
    deadFolder = join(tmpdir(), `learn-go-docker-ctx-${DEAD}-clnTst`);
    liveFolder = join(tmpdir(), `learn-go-docker-ctx-${child.pid}-clnTst`);
    for (const dir of [deadFolder, liveFolder]) {
      await mkdir(join(dir, '.git'), { recursive: true });
      await writeFile(join(dir, 'big'), Buffer.alloc(300_000, 7));
    }
  });

  afterAll(async () => {
    child.kill();
    for (const [kind, id] of [...unlabelled, live]) {
      if (kind === 'image') await execa(bin(), ['image', 'rm', '-f', id], { reject: false });
      else await execa(bin(), kind === 'container' ? ['rm', '-f', id] : [kind, 'rm', id], { reject: false });
    }
    await rm(liveFolder, { recursive: true, force: true });
  });

  it('without a terminal and without --yes it lists and removes nothing', async () => {
    const { ctx, out, err } = context(false);
    expect(await cleanCommand(ctx, { yes: false, json: false })).toBe(2);
    expect(out()).toContain('learn-go-docker/clean-test:verify');
    expect(out()).toContain(deadFolder);
    expect(err()).toContain('--yes');
    for (const [kind, id] of labelled) expect(await exists(kind, id), `${kind} ${id}`).toBe(true);
  });

  it('with --yes removes every labelled object and left-behind folder, and only those', async () => {
    const { ctx, out } = context(false);
    const code = await cleanCommand(ctx, { yes: true, json: true });
    const report = JSON.parse(out()) as {
      removed: { kind: string; id: string; name: string; bytes?: number }[];
      kept: { kind: string; id: string; reason: string }[];
      freedBytes: number;
      imageBytes: number;
    };
    if (process.env.LGD_PRINT) console.log(out());
    expect(code).toBe(0);
    for (const [kind, id] of labelled) expect(await exists(kind, id), `${kind} ${id} should be gone`).toBe(false);
    for (const [kind, id] of unlabelled) expect(await exists(kind, id), `${kind} ${id} should stay`).toBe(true);
    for (const image of STAND_INS) expect(await exists('image', image), `stand-in ${image}`).toBe(true);
    expect(await exists('container', live[1])).toBe(true);
    expect(report.kept.find((k) => k.id.startsWith(live[1]))?.reason).toContain(`pid ${child.pid}`);
    expect(existsSync(deadFolder)).toBe(false);
    expect(existsSync(liveFolder)).toBe(true);
    const folder = report.removed.find((r) => r.id === deadFolder);
    expect(folder?.bytes).toBeGreaterThanOrEqual(300_000);
    expect(report.removed.map((r) => r.kind)).toEqual(expect.arrayContaining(['container', 'image', 'volume', 'network', 'folder']));
    expect(report.freedBytes).toBeGreaterThanOrEqual(300_000);
  });

  it('a second run finds nothing of ours left but what a live run holds', async () => {
    const { ctx, out } = context(false);
    expect(await cleanCommand(ctx, { yes: false, json: false })).toBeOneOf([0, 2]);
    expect(out()).not.toContain('learn-go-docker/clean-test:verify');
    expect(out()).not.toContain(deadFolder);
  });
});
