import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { basename, delimiter, dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { Localized } from '../i18n.js';
import { builderEnv } from './build.js';
import { COMPOSE_FILES, composeRefusals, formatRefusals } from './compose-guard.js';
import { composeFacts, loopbackCompose, runnerOverride } from './compose-override.js';
import { DockerAbortedError, dockerBinary, dockerExec, runGuarded } from './exec.js';
import { parseContainerInspect } from './parse-inspect.js';
import { majorVersion } from './parse-version.js';
import { COMPOSE_PREFIX_DIR, ownedTempDir } from './stage-context.js';
import type { ComposeServiceState, ComposeUpOptions, ComposeUpResult, DockerCapabilities } from './session.js';

const UP_TIMEOUT_MS = 10 * 60_000;

export { composeFacts, runnerOverride, type ComposeFileFacts } from './compose-override.js';

const portBusy = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE' || error.code === 'EACCES'));
    server.listen(port, () => server.close(() => resolve(false)));
  });

const composeCommand = (caps: DockerCapabilities): { file: string; prefix: string[] } =>
  caps.compose === 'v2' ? { file: dockerBinary(), prefix: ['compose'] } : { file: 'docker-compose', prefix: [] };

const runCompose = async (caps: DockerCapabilities, args: string[], options: { signal?: AbortSignal; timeoutMs: number }) => {
  const { file, prefix } = composeCommand(caps);
  const lines: string[] = [];
  const result = await runGuarded(file, [...prefix, ...args], {
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    env: { ...builderEnv(caps), COMPOSE_DOCKER_CLI_BUILD: '1', ...composePath() },
    onLine: (line) => lines.push(line),
  });
  return { exitCode: result.exitCode, output: lines.join('\n'), stdout: result.stdout, timedOut: result.timedOut, aborted: result.aborted };
};

/** docker-compose v1 builds with `docker` from PATH: put the configured client first on PATH. */
const composePath = (): Record<string, string> => {
  const binary = dockerBinary();
  if (!binary.includes('/') || basename(binary) !== 'docker') return {};
  return { PATH: `${dirname(binary)}${delimiter}${process.env.PATH ?? ''}` };
};

/** `file` is the runner's copy of the learner's file (absolute): paths in it still resolve against `dir`. */
const baseArgs = (project: string, dir: string, file: string, override: string) => ['-p', project, '--project-directory', dir, '-f', file, '-f', override];

interface UpOptions extends ComposeUpOptions {
  readonly caps: DockerCapabilities;
  readonly dir: string;
  readonly project: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly onStarted: (info: { dir: string; file: string; override: string }) => void;
}

/** Waits (compose v1, or v2 without --wait) until every project container runs and is healthy when it has a healthcheck. */
const waitProject = async (project: string, deadline: number, signal?: AbortSignal): Promise<boolean> => {
  while (Date.now() < deadline) {
    if (signal?.aborted) throw new DockerAbortedError();
    const ids = (await dockerExec(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`])).stdout.split('\n').filter(Boolean);
    const states = await Promise.all(ids.map(async (id) => parseContainerInspect((await dockerExec(['container', 'inspect', id])).stdout)));
    if (states.length && states.every((s) => s.running && (s.health === null || s.health === 'healthy'))) return true;
    if (states.some((s) => s.health === 'unhealthy' || (!s.running && s.exitCode !== 0 && s.exitCode !== null))) return false;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return false;
};

const parseOrNull = (text: string): unknown => {
  try {
    return parse(text, { merge: true, maxAliasCount: 100 }) as unknown;
  } catch {
    return null;
  }
};

const refusalOf = (file: string, doc: unknown, dir: string, resolved: boolean): Localized | undefined => {
  const refusals = composeRefusals(doc, { projectDir: dir, resolved });
  return refusals.length ? formatRefusals(file, refusals) : undefined;
};

export const composeUp = async (options: UpOptions): Promise<ComposeUpResult> => {
  const started = Date.now();
  const file = options.file ?? COMPOSE_FILES.find((name) => existsSync(join(options.dir, name)));
  const result = (ok: boolean, tail: string[], busyHostPorts: number[] = [], hostPort?: number): ComposeUpResult => ({
    ok,
    tail,
    busyHostPorts,
    hostPort,
    project: options.project,
    durationMs: Date.now() - started,
  });
  if (!file || !existsSync(join(options.dir, file))) return result(false, [`no ${options.file ?? 'compose.yaml'} in the workspace`]);
  const text = await readFile(join(options.dir, file), 'utf8');
  const refused = refusalOf(file, parseOrNull(text), options.dir, false);
  if (refused) return { ...result(false, []), refusal: refused };
  const facts = composeFacts(text);
  const busy: number[] = [];
  for (const port of facts.fixedHostPorts) if (await portBusy(port)) busy.push(port);
  // The runner's copy and override live outside the build context so they never bust the learner's cache.
  const overrideDir = await ownedTempDir(COMPOSE_PREFIX_DIR);
  const copy = join(overrideDir, basename(file));
  const override = join(overrideDir, 'runner.override.yaml');
  await writeFile(copy, loopbackCompose(text));
  await writeFile(override, runnerOverride(facts, options.labels, options.caps.cpuQuota));
  options.onStarted({ dir: options.dir, file: copy, override });
  const base = baseArgs(options.project, options.dir, copy, override);
  // What compose will really run (interpolated, merged, include/extends resolved) is checked again.
  const config = await runCompose(options.caps, [...base, 'config'], { signal: options.signal, timeoutMs: 60_000 });
  if (config.aborted) throw new DockerAbortedError();
  const resolved = config.exitCode === 0 ? refusalOf(file, parseOrNull(config.stdout), options.dir, true) : undefined;
  if (resolved) return { ...result(false, [], busy), refusal: resolved };
  return upAndPort(options, base, ['--build'], started, busy, result);
};

type Result = (ok: boolean, tail: string[], busyHostPorts?: number[], hostPort?: number) => ComposeUpResult;

/** `up -d` (waiting until every service runs and is healthy), then the host port of the service's port. */
const upAndPort = async (
  options: Pick<UpOptions, 'caps' | 'project' | 'service' | 'port' | 'signal' | 'timeoutMs'>,
  base: string[],
  extra: string[],
  started: number,
  busy: number[],
  result: Result,
): Promise<ComposeUpResult> => {
  const canWait = options.caps.compose === 'v2' || majorVersion(options.caps.composeVersion) >= 2;
  const up = await runCompose(options.caps, [...base, 'up', '-d', ...extra, ...(canWait ? ['--wait'] : [])], {
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? UP_TIMEOUT_MS,
  });
  if (up.aborted) throw new DockerAbortedError();
  const tail = up.output
    .trim()
    .split('\n')
    .filter((line) => line.trim() && !/^#\d+ /.test(line) && !/^\s*(Network|Volume|Container) \S+\s+(Creat|Start|Built)/.test(line))
    .slice(-15);
  if (up.exitCode !== 0) return result(false, up.timedOut ? [...tail, 'compose up did not finish in time'] : tail, busy);
  if (!canWait && !(await waitProject(options.project, started + (options.timeoutMs ?? UP_TIMEOUT_MS), options.signal))) {
    return result(false, [...tail, 'a service did not become running/healthy'], busy);
  }
  const port = await runCompose(options.caps, [...base, 'port', options.service, String(options.port)], { signal: options.signal, timeoutMs: 30_000 });
  const hostPort = Number(/:(\d+)\s*$/.exec(port.output.trim().split('\n').pop() ?? '')?.[1]);
  if (port.exitCode !== 0 || !Number.isInteger(hostPort) || hostPort <= 0) {
    return result(false, [...port.output.trim().split('\n').slice(-5), `service ${options.service} does not publish port ${options.port}`], busy);
  }
  return result(true, tail, busy, hostPort);
};

export const composeDown = async (options: { caps: DockerCapabilities; project: string; dir: string; file: string; override: string }): Promise<void> => {
  await runCompose(
    options.caps,
    [...baseArgs(options.project, options.dir, options.file, options.override), 'down', '-v', '--rmi', 'local', '--remove-orphans'],
    {
      timeoutMs: 120_000,
    },
  );
  await rm(join(options.override, '..'), { recursive: true, force: true });
};

/** Where a project composeUp started lives: the staged context, the runner's copy of the file and the override. */
export interface ComposeProjectFiles {
  readonly dir: string;
  readonly file: string;
  readonly override: string;
}

/**
 * `docker compose down` without -v (containers and networks go, named volumes stay, as a learner's
 * own `down` does), then `up` again without building: the same files, so the same guards and limits.
 */
export const composeRestart = async (
  options: ComposeProjectFiles & Pick<UpOptions, 'caps' | 'project' | 'service' | 'port' | 'signal' | 'timeoutMs'>,
): Promise<ComposeUpResult> => {
  const started = Date.now();
  const result: Result = (ok, tail, busyHostPorts = [], hostPort) => ({
    ok,
    tail,
    busyHostPorts,
    hostPort,
    project: options.project,
    durationMs: Date.now() - started,
  });
  const base = baseArgs(options.project, options.dir, options.file, options.override);
  const anonymous = await anonymousVolumes(options.project, options.signal);
  const down = await runCompose(options.caps, [...base, 'down', '--remove-orphans'], { signal: options.signal, timeoutMs: 120_000 });
  if (down.aborted) throw new DockerAbortedError();
  if (down.exitCode !== 0) return result(false, [...down.output.trim().split('\n').slice(-8), 'docker compose down failed']);
  // A `down` without -v orphans the anonymous volumes (an image's VOLUME, such as postgres's data,
  // when the file mounts none): the next `up` makes new ones, and nothing would ever remove these.
  if (anonymous.length) await dockerExec(['volume', 'rm', '-f', ...anonymous], { timeoutMs: 60_000 });
  return upAndPort(options, base, [], started, [], result);
};

/** The anonymous volumes (unnamed, 64 hex digits) mounted by a project's containers. */
const anonymousVolumes = async (project: string, signal?: AbortSignal): Promise<string[]> => {
  const ids = await dockerExec(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`], { signal, timeoutMs: 30_000 });
  if (ids.aborted) throw new DockerAbortedError();
  const list = ids.stdout.split('\n').filter(Boolean);
  if (ids.exitCode !== 0 || !list.length) return [];
  const mounts = await dockerExec(['container', 'inspect', '--format', '{{range .Mounts}}{{.Type}} {{.Name}}\n{{end}}', ...list], {
    signal,
    timeoutMs: 30_000,
  });
  if (mounts.aborted) throw new DockerAbortedError();
  return parseAnonymousVolumes(mounts.stdout);
};

/** Anonymous volume names from `{{.Type}} {{.Name}}` lines (pure). */
export const parseAnonymousVolumes = (text: string): string[] => [
  ...new Set(
    text
      .split('\n')
      .map((line) => /^volume ([0-9a-f]{64})$/.exec(line.trim())?.[1])
      .filter((name): name is string => Boolean(name)),
  ),
];

/** A compose service's container as persistence is judged: its mounts and environment; null when it has none. */
export const composeServiceState = async (project: string, service: string, signal?: AbortSignal): Promise<ComposeServiceState | null> => {
  const ids = await dockerExec(
    ['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`, '--filter', `label=com.docker.compose.service=${service}`],
    { signal, timeoutMs: 30_000 },
  );
  if (ids.aborted) throw new DockerAbortedError();
  const id = ids.stdout.split('\n').find(Boolean);
  if (!id) return null;
  const inspect = await dockerExec(['container', 'inspect', id], { signal, timeoutMs: 30_000 });
  if (inspect.aborted) throw new DockerAbortedError();
  return inspect.exitCode === 0 ? parseServiceState(inspect.stdout) : null;
};

/** Mounts and environment from `docker container inspect` (pure). */
export const parseServiceState = (text: string): ComposeServiceState => {
  const data = JSON.parse(text) as unknown;
  const container = (Array.isArray(data) ? data[0] : data) as Record<string, unknown> | undefined;
  const mounts = Array.isArray(container?.Mounts) ? (container.Mounts as Record<string, unknown>[]) : [];
  const config = (container?.Config ?? {}) as Record<string, unknown>;
  const state = (container?.State ?? {}) as Record<string, unknown>;
  const host = (container?.HostConfig ?? {}) as Record<string, unknown>;
  const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
  return {
    id: String(container?.Id ?? ''),
    running: state.Running === true,
    host: {
      readOnlyRootfs: host.ReadonlyRootfs === true,
      capAdd: strings(host.CapAdd),
      capDrop: strings(host.CapDrop),
      securityOpt: strings(host.SecurityOpt),
      pidsLimit: typeof host.PidsLimit === 'number' && host.PidsLimit > 0 ? host.PidsLimit : null,
      tmpfs: host.Tmpfs && typeof host.Tmpfs === 'object' ? Object.keys(host.Tmpfs) : [],
    },
    env: Array.isArray(config.Env) ? config.Env.filter((e): e is string => typeof e === 'string') : [],
    mounts: mounts.map((m) => ({
      type: String(m.Type ?? ''),
      name: String(m.Name ?? ''),
      source: String(m.Source ?? ''),
      destination: String(m.Destination ?? ''),
    })),
  };
};
