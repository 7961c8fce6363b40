import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { builderEnv } from './build.js';
import { DockerAbortedError, dockerBinary, dockerExec, runGuarded } from './exec.js';
import { parseContainerInspect } from './parse-inspect.js';
import { majorVersion } from './parse-version.js';
import type { ComposeUpOptions, ComposeUpResult, DockerCapabilities } from './session.js';

export const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const UP_TIMEOUT_MS = 10 * 60_000;

type Doc = Record<string, unknown>;

export interface ComposeFileFacts {
  readonly services: readonly string[];
  /** Fixed host ports ("8080:8080", {published: 8080}). */
  readonly fixedHostPorts: readonly number[];
  readonly volumes: readonly string[];
  readonly networks: readonly string[];
}

/** Reads what the override and the busy-port explanation need from a compose file. */
export const composeFacts = (text: string): ComposeFileFacts => {
  const doc = (parse(text) ?? {}) as Doc;
  const services = (doc.services ?? {}) as Record<string, Doc | null>;
  const fixedHostPorts: number[] = [];
  for (const service of Object.values(services)) {
    for (const port of (service?.ports ?? []) as unknown[]) {
      if (typeof port === 'string' || typeof port === 'number') {
        // [ip:]host:container[/proto]; a lone container port is published on a random host port.
        const parts = String(port).replace(/\/\w+$/, '').split(':');
        if (parts.length >= 2) {
          const host = Number(parts[parts.length - 2]);
          if (Number.isInteger(host) && host > 0) fixedHostPorts.push(host);
        }
      } else if (port && typeof port === 'object') {
        const published = Number((port as Doc).published);
        if (Number.isInteger(published) && published > 0) fixedHostPorts.push(published);
      }
    }
  }
  const notExternal = (section: unknown) =>
    Object.entries((section ?? {}) as Record<string, Doc | null>)
      .filter(([, value]) => !value?.external)
      .map(([name]) => name);
  return { services: Object.keys(services), fixedHostPorts, volumes: notExternal(doc.volumes), networks: notExternal(doc.networks) };
};

/** An override that labels every service container, named volume and network of the project. */
export const labelOverride = (facts: ComposeFileFacts, labels: Readonly<Record<string, string>>): string => {
  const services = Object.fromEntries(facts.services.map((name) => [name, { labels: { ...labels } }]));
  const volumes = Object.fromEntries(facts.volumes.map((name) => [name, { labels: { ...labels } }]));
  const networks = Object.fromEntries(['default', ...facts.networks].map((name) => [name, { labels: { ...labels } }]));
  const doc: Doc = { services, networks };
  if (facts.volumes.length) doc.volumes = volumes;
  return stringify(doc);
};

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
  return { exitCode: result.exitCode, output: lines.join('\n'), timedOut: result.timedOut, aborted: result.aborted };
};

/** docker-compose v1 builds with `docker` from PATH: put the configured client first on PATH. */
const composePath = (): Record<string, string> => {
  const binary = dockerBinary();
  if (!binary.includes('/') || basename(binary) !== 'docker') return {};
  return { PATH: `${dirname(binary)}${delimiter}${process.env.PATH ?? ''}` };
};

const baseArgs = (project: string, dir: string, file: string, override: string) => ['-p', project, '--project-directory', dir, '-f', join(dir, file), '-f', override];

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
  const facts = composeFacts(await readFile(join(options.dir, file), 'utf8'));
  const busy: number[] = [];
  for (const port of facts.fixedHostPorts) if (await portBusy(port)) busy.push(port);
  // The override lives outside the build context so it never busts the learner's cache.
  const overrideDir = await mkdtemp(join(tmpdir(), 'learn-go-docker-compose-'));
  const override = join(overrideDir, 'labels.override.yaml');
  await writeFile(override, labelOverride(facts, options.labels));
  options.onStarted({ dir: options.dir, file, override });
  const base = baseArgs(options.project, options.dir, file, override);
  const canWait = options.caps.compose === 'v2' || majorVersion(options.caps.composeVersion) >= 2;
  const up = await runCompose(options.caps, [...base, 'up', '-d', '--build', ...(canWait ? ['--wait'] : [])], {
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
  await runCompose(options.caps, [...baseArgs(options.project, options.dir, options.file, options.override), 'down', '-v', '--rmi', 'local', '--remove-orphans'], {
    timeoutMs: 120_000,
  });
  await rm(join(options.override, '..'), { recursive: true, force: true });
};
