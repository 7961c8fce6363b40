import { existsSync, readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { expect } from 'vitest';
import { dockerChecks } from '../../src/engine/checks/docker/index.js';
import { Blocked } from '../../src/engine/checks/docker/measure.js';
import { dockerGate } from '../../src/engine/checks/gate.js';
import { skip } from '../../src/engine/checks/outcome.js';
import { DockerAbortedError } from '../../src/engine/docker/exec.js';
import { L, type Localized } from '../../src/engine/i18n.js';
import type { CheckOutcome, DockerContext, ProgressEvent, WorkspaceFiles } from '../../src/engine/checks/types.js';
import { analyzeDockerfile } from '../../src/engine/dockerfile/analyze.js';
import { createDockerSession } from '../../src/engine/docker/docker-session.js';
import { detectCapabilities } from '../../src/engine/docker/capabilities.js';
import type { DockerCapabilities, DockerSession } from '../../src/engine/docker/session.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'docker');

/** `npx vitest run --project docker` alone still uses the client test-env chose (BuildKit). */
export const loadTestEnv = (): void => {
  const file = join(ROOT, '.tmp', 'test-env.env');
  if (process.env.LEARN_GO_DOCKER_DOCKER || !existsSync(file)) return;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] && process.env[match[1]] === undefined) process.env[match[1]] = match[2];
  }
};

/**
 * The engine the tests run against. Under CI a missing engine fails the run; locally it skips
 * loudly. Returns undefined when the tests should skip.
 */
export const dockerForTests = async (): Promise<DockerCapabilities | undefined> => {
  loadTestEnv();
  const caps = await detectCapabilities();
  if (caps.available) return caps;
  const why = `${caps.problem?.message.en ?? 'Docker is not available'} ${caps.problem?.next.en ?? ''}`;
  if (process.env.CI && process.env.CI !== 'false') throw new Error(`CI=true and no usable Docker engine: ${why}`);
  console.warn(`\n!!! SKIPPING Docker tests: ${why}\n!!! Run \`npm run test:env\` to set up an engine.\n`);
  return undefined;
};

let binaries: Promise<string> | undefined;

/** Builds the fixture app on the host once (static + stripped, and a cgo/dynamic variant). */
export const fixtureBinaries = (): Promise<string> =>
  (binaries ??= (async () => {
    const out = join(ROOT, '.tmp', 'docker-fixture-bin');
    await mkdir(out, { recursive: true });
    const app = join(FIXTURES, 'app');
    const env = { GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local' };
    await execa('go', ['build', '-trimpath', '-ldflags', '-s -w', '-o', join(out, 'server'), '.'], {
      cwd: app,
      env: { ...env, CGO_ENABLED: '0' },
      timeout: 300_000,
    });
    await execa('go', ['build', '-o', join(out, 'server-cgo'), '.'], { cwd: app, env: { ...env, CGO_ENABLED: '1' }, timeout: 300_000 });
    return out;
  })());

/** A temp workspace made of a fixture case plus the fixture binaries (and the app source for Go builds). */
export const makeWorkspace = async (caseName: string, replace: Record<string, string> = {}): Promise<string> => {
  const bin = await fixtureBinaries();
  const dir = await mkdtemp(join(tmpdir(), `lgd-test-${caseName}-`));
  await cp(join(FIXTURES, 'cases', caseName), dir, { recursive: true });
  await cp(join(bin, 'server'), join(dir, 'server'));
  await cp(join(bin, 'server-cgo'), join(dir, 'server-cgo'));
  if (caseName === 'sample-app') {
    await cp(join(ROOT, 'sample-app'), dir, { recursive: true });
    await rm(join(dir, 'server'));
    await rm(join(dir, 'server-cgo'));
  }
  if (caseName.startsWith('go-')) {
    await mkdir(join(dir, 'cmd', 'server'), { recursive: true });
    await cp(join(FIXTURES, 'app', 'main.go'), join(dir, 'cmd', 'server', 'main.go'));
    await cp(join(FIXTURES, 'app', 'go.mod'), join(dir, 'go.mod'));
    await rm(join(dir, 'server'));
    await rm(join(dir, 'server-cgo'));
  }
  for (const name of await readdir(dir)) {
    if (!/^(Dockerfile|compose\.yaml)$/.test(name)) continue;
    let text = await readFile(join(dir, name), 'utf8');
    for (const [from, to] of Object.entries(replace)) text = text.split(from).join(to);
    await writeFile(join(dir, name), text);
  }
  // Runner state must never reach the build context.
  await mkdir(join(dir, '.learn-go-docker'), { recursive: true });
  await writeFile(join(dir, '.learn-go-docker', 'progress.json'), `{"at":${Date.now()}}`);
  return dir;
};

export const workspaceFilesOf = (dir: string): WorkspaceFiles => ({
  dir,
  read: async (rel) => (existsSync(join(dir, rel)) ? readFile(join(dir, rel), 'utf8') : undefined),
  list: async (rel) => {
    const root = join(dir, rel);
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
  },
});

export interface Fixture {
  readonly dir: string;
  readonly session: DockerSession;
  readonly ctx: DockerContext;
  readonly events: ProgressEvent[];
  /** Aborts the fixture's signal (Ctrl-C). */
  readonly abort: () => void;
}

/** A workspace + session + check context for one case; call `dispose` in afterAll. */
export const fixture = async (caseName: string, options: { replace?: Record<string, string>; history?: DockerContext['history'] } = {}): Promise<Fixture> => {
  const dir = await makeWorkspace(caseName, options.replace);
  const events: ProgressEvent[] = [];
  const controller = new AbortController();
  const session = createDockerSession({
    contextDir: dir,
    dockerfile: 'Dockerfile',
    lessonId: `test-${caseName}`,
    signal: controller.signal,
    onProgress: (e) => events.push(e),
  });
  const text = await readFile(join(dir, 'Dockerfile'), 'utf8');
  const files = workspaceFilesOf(dir);
  const ctx: DockerContext = {
    files,
    dockerfile: analyzeDockerfile(text, { dockerignore: null }),
    dockerfilePath: 'Dockerfile',
    docker: session,
    history: options.history ?? {},
    signal: controller.signal,
    progress: (e) => events.push(e),
  };
  return { dir, session, ctx, events, abort: () => controller.abort() };
};

export const disposeFixture = async (f: Fixture | undefined): Promise<void> => {
  if (!f) return;
  await f.session.dispose();
  await rm(f.dir, { recursive: true, force: true });
};

/** Runs a check by id with params validated by its own schema. */
export const runCheck = async (id: string, ctx: DockerContext, params: Record<string, unknown> = {}): Promise<CheckOutcome & { blocking?: Localized }> => {
  const def = dockerChecks.find((d) => d.id === id);
  if (!def) throw new Error(`no docker check ${id}`);
  const bound = def.bind(params);
  if (bound.kind !== 'docker') throw new Error(`${id} is not a Docker check`);
  // As verify runs it: the gate first (Docker usable, what the check needs, a Dockerfile this Docker
  // can build), then a measurement that cannot run (image not built, Ctrl-C) is a skip with its reason.
  // `blocking` is the full explanation verify would report once.
  const closed = dockerGate(await ctx.docker.capabilities(), bound.needs, ctx.dockerfile);
  if (closed) return { ...skip(closed.short, closed.reason), blocking: closed.full };
  const measurement = await bound.measure(ctx).catch((error: unknown) => error);
  if (measurement instanceof Blocked) return { ...skip(measurement.short, measurement.reason), blocking: measurement.full };
  if (measurement instanceof DockerAbortedError || (measurement instanceof Error && ctx.signal.aborted)) return skip(L('Cancelled.', '已取消。'), 'cancelled');
  if (measurement instanceof Error) throw measurement;
  return bound.judge(measurement, ctx);
};

/** Asserts a status and prints the message when it is not the expected one. */
export const expectStatus = (outcome: CheckOutcome, status: CheckOutcome['status']): void => {
  if (process.env.LGD_PRINT)
    console.log(`[${outcome.status}] ${outcome.message.en}\n[${outcome.status}] ${outcome.message['zh-CN']}\n${JSON.stringify(outcome.measured ?? {})}`);
  expect(outcome.status, `${outcome.status}: ${outcome.message.en}`).toBe(status);
  expect(outcome.message.en.length).toBeGreaterThan(0);
  expect(outcome.message['zh-CN'].length).toBeGreaterThan(0);
};

/** Labelled objects currently present (containers, volumes, networks). */
export const labelledObjects = async (filter = 'label=learn-go-docker'): Promise<string[]> => {
  const bin = process.env.LEARN_GO_DOCKER_DOCKER || 'docker';
  const list = async (args: string[]) => (await execa(bin, args)).stdout.split('\n').filter(Boolean);
  return [
    ...(await list(['ps', '-aq', '--filter', filter])).map((id) => `container ${id}`),
    ...(await list(['volume', 'ls', '-q', '--filter', filter])).map((id) => `volume ${id}`),
    ...(await list(['network', 'ls', '-q', '--filter', filter])).map((id) => `network ${id}`),
  ];
};
