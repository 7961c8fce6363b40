import { L, type Localized } from '../../i18n.js';
import type { BuildResult, ContainerInspect, ImageInspect, RunOptions } from '../../docker/session.js';
import { quoteLines } from '../outcome.js';
import type { DockerContext, SkipReason } from '../types.js';
import { httpRequest, requestUntil, type HttpAttempt } from './http-client.js';
import { appPort, probeError, stepLine } from './explain.js';

/**
 * Thrown by a measurement when the check cannot run at all (the image did not build, the build
 * needs BuildKit). The runner turns it into a skip with this reason and reports `full` once.
 */
export class Blocked extends Error {
  constructor(
    readonly reason: SkipReason,
    /** One line for each check it blocks. */
    readonly short: Localized,
    /** The whole story (failing step, build output), shown once per verify. */
    readonly full: Localized = short,
    readonly line?: number,
  ) {
    super(short.en);
    this.name = 'Blocked';
  }
}

const NEEDS_BUILDKIT_FIX = L(
  'Install the buildx plugin (Docker Desktop and docker-ce include it; on Debian/Ubuntu `apt install docker-buildx`), then verify again.',
  '请安装 buildx 插件（Docker Desktop 和 docker-ce 自带；Debian/Ubuntu 上 `apt install docker-buildx`），然后重新校验。',
);

/** The skip for a Dockerfile that uses BuildKit-only syntax on a Docker with the classic builder only. */
export const needsBuildkit = (build: Pick<BuildResult, 'buildkitFeatures'>): Blocked => {
  const feature = build.buildkitFeatures?.[0];
  const where = feature ? L(` (line ${feature.line}: ${feature.feature})`, `（第 ${feature.line} 行：${feature.feature}）`) : L('', '');
  const short = L(
    `Skipped: your Dockerfile uses BuildKit-only syntax${where.en}.`,
    `已跳过：你的 Dockerfile 使用了只有 BuildKit 支持的语法${where['zh-CN']}。`,
  );
  return new Blocked(
    'needs-buildkit',
    short,
    L(
      `${short.en} Your Docker only has the classic builder. ${NEEDS_BUILDKIT_FIX.en}`,
      `${short['zh-CN']}你的 Docker 只有旧版构建器。${NEEDS_BUILDKIT_FIX['zh-CN']}`,
    ),
    feature?.line,
  );
};

/** The skip for checks after a failed lesson build: the step in one line, the output in `full`. */
export const notBuilt = (ctx: Pick<DockerContext, 'dockerfile'>, build: Pick<BuildResult, 'failedStep' | 'tail'>): Blocked => {
  const step = build.failedStep;
  const line = step ? stepLine(ctx.dockerfile, step) : undefined;
  const where = step ? L(` at \`${step}\`${line ? ` (line ${line})` : ''}`, `，失败的步骤是 \`${step}\`${line ? `（第 ${line} 行）` : ''}`) : L('', '');
  const short = L(`Skipped: the image did not build${where.en}.`, `已跳过：镜像没有构建成功${where['zh-CN']}。`);
  const tail = quoteLines(build.tail.slice(-8));
  return new Blocked('not-built', short, L(`The image did not build${where.en}.${tail}`, `镜像没有构建成功${where['zh-CN']}。${tail}`), line);
};

export interface LessonImage {
  /** Image id. */
  readonly id: string;
  readonly image: ImageInspect;
}

/** The lesson image built from the workspace (once per verify) and its config; Blocked when it did not build. */
export const lessonImage = async (ctx: DockerContext, buildArgs?: Record<string, string>): Promise<LessonImage> => {
  const build = await ctx.docker.lessonImage(buildArgs);
  if (build.needsBuildkit) throw needsBuildkit(build);
  if (!build.ok || !build.imageId) throw notBuilt(ctx, build);
  return { id: build.imageId, image: await ctx.docker.inspectImage(build.imageId) };
};

/** A container the check started, or why Docker could not start it. */
export type Started =
  { readonly started: true; readonly id: string; readonly ports: Readonly<Record<number, number>> } | { readonly started: false; readonly startError: string };

export const startContainer = async (ctx: DockerContext, options: RunOptions): Promise<Started> => {
  const container = await ctx.docker.run(options);
  return container.started ? { started: true, id: container.id, ports: container.ports } : { started: false, startError: container.startError ?? '' };
};

/** What a container looked like when a check had to explain something: state and its logs. */
export interface ContainerSnapshot {
  readonly running: boolean;
  readonly exitCode: number | null;
  readonly oomKilled: boolean;
  /** Docker's own error for the container (e.g. an exec failure). */
  readonly error: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Non-empty log lines, stdout then stderr, at most the last 200. */
  readonly logLines: readonly string[];
}

const logLines = (logs: { stdout: string; stderr: string }): string[] =>
  `${logs.stdout}\n${logs.stderr}`
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim())
    .slice(-200);

export const snapshot = async (ctx: DockerContext, id: string, state?: ContainerInspect): Promise<ContainerSnapshot> => {
  const s = state ?? (await ctx.docker.inspectContainer(id));
  const logs = await ctx.docker.logs(id);
  return {
    running: s.running,
    exitCode: s.exitCode,
    oomKilled: s.oomKilled,
    error: s.error,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    logLines: logLines(logs),
  };
};

export interface ProbeOptions {
  readonly image: string;
  /** Container port to request; published on 127.0.0.1. */
  readonly port: number;
  readonly path: string;
  readonly method?: 'GET' | 'POST';
  readonly body?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly volumes?: RunOptions['volumes'];
  readonly memory?: string;
  readonly cpus?: string;
  readonly deadlineMs: number;
  /** An answer that ends the wait (default: any HTTP answer). */
  readonly accept?: (status: number, body: string) => boolean;
  /** Also published; when the app answers there for 3 s while `port` stays silent, stop waiting. */
  readonly extraPorts?: readonly number[];
  /** See requestUntil: stop this long after the first (unacceptable) HTTP answer. */
  readonly settleMs?: number;
}

/** Runs an image and requests one path until an acceptable answer or the deadline. */
export interface Probe {
  readonly start: Started;
  /** The container port requested. */
  readonly port: number;
  readonly attempt?: HttpAttempt;
  /** When there was no acceptable answer: the container as it was then. */
  readonly container?: ContainerSnapshot;
  /** Answers on the extra ports after a failed attempt, by container port. */
  readonly extra?: Readonly<Record<number, HttpAttempt>>;
}

/** The one "run the image and probe it" opening every HTTP-level check shares. */
export const probe = async (
  ctx: DockerContext,
  options: ProbeOptions,
): Promise<Probe & { readonly id?: string; readonly ports?: Readonly<Record<number, number>> }> => {
  const publish = [options.port, ...(options.extraPorts ?? []).filter((p) => p !== options.port)];
  const start = await startContainer(ctx, {
    image: options.image,
    publish,
    env: options.env,
    volumes: options.volumes,
    memory: options.memory,
    cpus: options.cpus,
  });
  if (!start.started) return { start, port: options.port };
  const { id, ports } = start;
  const hostPort = ports[options.port];
  const accept = options.accept ?? (() => true);
  const began = Date.now();
  const other = (options.extraPorts ?? []).map((p) => ports[p]).find((p): p is number => p !== undefined && p !== hostPort);
  const attempt: HttpAttempt = hostPort
    ? await requestUntil({
        port: hostPort,
        path: options.path,
        method: options.method,
        body: options.body,
        deadlineMs: options.deadlineMs,
        signal: ctx.signal,
        accept: (a) => accept(a.status, a.body),
        settleMs: options.settleMs,
        stop: async () => {
          if (!(await ctx.docker.inspectContainer(id)).running) return true;
          if (other === undefined || Date.now() - began < 3_000) return false;
          return (await httpRequest({ port: other, path: '/', timeoutMs: 1_000 })).ok;
        },
      })
    : { ok: false, error: 'the container exited before its port was published' };
  if (attempt.ok && accept(attempt.answer.status, attempt.answer.body)) return { start, port: options.port, attempt, id, ports };
  const extra: Record<number, HttpAttempt> = {};
  for (const p of options.extraPorts ?? []) {
    const host = ports[p];
    if (p !== options.port && host) extra[p] = await requestUntil({ port: host, path: options.path, deadlineMs: 1_000 });
  }
  return { start, port: options.port, attempt, container: await snapshot(ctx, id), extra, id, ports };
};

/** The app's port for this image: explicit, else the first EXPOSEd TCP port, else 8080. */
export { appPort };

/** A container the check started and the app answering on its host port, or why it is not. */
export type ReadyApp =
  | { readonly start: Extract<Started, { started: false }> }
  | { readonly start: Extract<Started, { started: true }>; readonly notUp: string }
  | { readonly start: Extract<Started, { started: true }>; readonly hostPort: number; readonly notUp?: undefined };

/**
 * Runs the lesson image with its port published on 127.0.0.1 and waits (up to 15 s) until `path`
 * answers 200: the opening of the checks that measure a running app over HTTP.
 */
export const runUntilReady = async (
  ctx: DockerContext,
  options: { readonly env?: Readonly<Record<string, string>>; readonly path?: string; readonly network?: RunOptions['network'] } = {},
): Promise<ReadyApp> => {
  const { id, image } = await lessonImage(ctx);
  const port = appPort(image, ctx.port);
  const start = await startContainer(ctx, { image: id, publish: [port], env: options.env, ...(options.network ? { network: options.network } : {}) });
  if (!start.started) return { start };
  const hostPort = start.ports[port];
  if (!hostPort) return { start, notUp: 'not published' };
  const up = await requestUntil({
    port: hostPort,
    path: options.path ?? '/health',
    deadlineMs: 15_000,
    signal: ctx.signal,
    accept: (a) => a.status === 200,
    settleMs: 5_000,
  });
  if (!up.ok || up.answer.status !== 200) return { start, notUp: up.ok ? `answered ${up.answer.status}` : up.error };
  return { start, hostPort };
};

/** The verdict when the app never answered 200 on `path`: nothing else can be measured. */
export const neverReady = (notUp: string | undefined, path: string, purpose: Localized): Localized => {
  const why = probeError(notUp ?? 'no attempt made');
  return L(`${path} never answered 200 (${why.en}): ${purpose.en}`, `${path} 从未返回 200（${why['zh-CN']}）：${purpose['zh-CN']}`);
};

/**
 * Puts `text` in the container at `path` (`docker cp` of a file written in a temp folder of this
 * process, mode 0644 so the app's user can read it; the folder goes at once). Rejects with
 * Docker's error, e.g. on a read-only root file system.
 */
export const copyTextInto = async (ctx: DockerContext, id: string, text: string, path: string): Promise<void> => {
  const { mkdtemp, rm, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join: joinPath } = await import('node:path');
  const dir = await mkdtemp(joinPath(tmpdir(), 'learn-go-docker-copy-'));
  try {
    const file = joinPath(dir, 'file');
    await writeFile(file, text, { mode: 0o644 });
    await ctx.docker.copyToContainer(id, file, path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
