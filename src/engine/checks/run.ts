import { join } from 'node:path';
import { L, type Localized } from '../i18n.js';
import { isUserError } from '../errors.js';
import { analyzeDockerfile } from '../dockerfile/analyze.js';
import type { DockerfileAnalysis } from '../dockerfile/types.js';
import { DockerAbortedError, DockerCommandError } from '../docker/exec.js';
import type { DockerSession } from '../docker/session.js';
import type { Lesson } from '../lessons/load.js';
import { listFiles } from '../util/files.js';
import { readTextFile } from '../util/safe-read.js';
import { Blocked } from './docker/measure.js';
import { dockerfileExists } from './static/dockerfile-base.js';
import { dockerignoreFor } from './ignore-file.js';
import { dockerGate, gate } from './gate.js';
import { join as joinText, outcome, skip } from './outcome.js';
import type {
  BlockingProblem,
  BoundCheck,
  CheckOutcome,
  CheckReport,
  DockerContext,
  JudgeContext,
  Measured,
  ProgressEvent,
  SkipReason,
  StaticContext,
  WorkspaceFiles,
} from './types.js';

export interface SessionFactoryOptions {
  readonly contextDir: string;
  readonly dockerfile: string;
  readonly lessonId: string;
  readonly signal: AbortSignal;
  readonly onProgress: (event: ProgressEvent) => void;
  /** `--target` of its builds (audit); the last stage when absent. */
  readonly target?: string;
  /** A one-off session (audit): its image is removed too, lesson images are left alone. */
  readonly transient?: boolean;
  readonly buildTimeoutMs?: number;
}

/** Makes a verify's Docker session: the real driver (loaded on first use) or a fake in tests. */
export type SessionFactory = (options: SessionFactoryOptions) => DockerSession | Promise<DockerSession>;

export interface VerifyOptions {
  readonly lesson: Lesson;
  readonly workspace: string;
  readonly staticOnly?: boolean;
  /** The learner agreed that a check may turn swarm mode on (and off again after): `verify --swarm`. */
  readonly swarmInit?: boolean;
  /** Only these lesson check ids (proof cases that are about one check); all when absent. */
  readonly only?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly history?: Readonly<Record<string, Measured>>;
  /** Makes the Docker session (the real driver, or a fake in tests). */
  readonly createSession: SessionFactory;
  /** Each check's report as soon as it is known (static ones first), for screens that show verdicts as they come. */
  readonly onReport?: (report: CheckReport) => void;
  /**
   * Given: the session's clean-up (its containers, staged copies) is handed over instead of awaited,
   * so the verdict can be saved and shown while Docker removes the containers. Whoever gives it
   * awaits the clean-up.
   */
  readonly onCleanup?: (done: Promise<void>) => void;
  /** Receives each Docker check's raw measurement (recording fixtures for the judges' unit tests). */
  readonly onMeasured?: (record: MeasurementRecord) => void;
  /** How the image is built and run when it is not a lesson's (audit): target stage, a one-off session, the app's port. */
  readonly target?: string;
  readonly transient?: boolean;
  readonly buildTimeoutMs?: number;
  readonly port?: number;
  /** The files as the checks read them, when not the workspace as it is (audit --target reads the Dockerfile up to its stage). */
  readonly files?: WorkspaceFiles;
}

/** A Docker check's measurement with what its judge needs besides it: enough to replay the verdict. */
export interface MeasurementRecord {
  /** The lesson's id of the check. */
  readonly checkId: string;
  readonly measurement: unknown;
  /** The Dockerfile as it was (the judge reads its analysis for line numbers). */
  readonly dockerfile: string | undefined;
  readonly history: Readonly<Record<string, Measured>>;
}

/** What a verify found: one report per check, and each problem that blocked several, once. */
export interface VerifyOutcome {
  readonly checks: CheckReport[];
  readonly blocking: BlockingProblem[];
}

/** The workspace as checks see it; reads refuse links out of it, loops, folders and oversized files (UserError). */
export const workspaceFiles = (dir: string): WorkspaceFiles => ({
  dir,
  read: (rel) => readTextFile(rel, { root: dir, shown: rel }),
  list: async (rel) => (await listFiles(join(dir, rel))).map((p) => (rel ? `${rel.replace(/\/$/, '')}/${p}` : p)),
});

const CANCELLED = L('Cancelled.', '已取消。');
const NOT_PARSED = L('Not run: fix the Dockerfile first (it does not parse).', '未运行：请先修正 Dockerfile（它无法解析）。');
const NO_DOCKERFILE = L('Not run: there is no Dockerfile yet.', '未运行：还没有 Dockerfile。');
const STATIC_ONLY = L('Not run: --static-only runs no Docker checks.', '未运行：--static-only 不运行 Docker 检查。');

const crashed = (error: unknown): CheckOutcome => {
  // A workspace file the runner refuses to read (a link out of the workspace, 50 MB...) stops the
  // verify with that one message, as it does for the Dockerfile; it is not a broken check.
  if (isUserError(error)) throw error;
  const text = error instanceof Error ? error.message : String(error);
  return outcome('error', L(`The check itself failed (not your Dockerfile): ${text}`, `检查本身出错（不是你的 Dockerfile 的问题）：${text}`));
};

/** What a measurement that threw means: Blocked -> skip with its reason, Ctrl-C -> skip, Docker broke -> error. */
const failedMeasure = (error: unknown, signal: AbortSignal): CheckOutcome => {
  if (error instanceof Blocked) return skip(error.short, error.reason);
  if (error instanceof DockerAbortedError || signal.aborted) return skip(CANCELLED, 'cancelled');
  if (isUserError(error)) return outcome('error', joinText(error.localized, error.next));
  if (error instanceof DockerCommandError) {
    const detail = (error.result.stderr || error.result.stdout).trim().split('\n').filter(Boolean).pop() ?? '';
    const cmd = `docker ${error.result.args.slice(0, 2).join(' ')}`;
    return outcome('error', L(`A Docker command failed (not your work): ${cmd}: ${detail}`, `一条 Docker 命令出错（不是你的问题）：${cmd}：${detail}`));
  }
  return crashed(error);
};

/**
 * Runs a lesson's checks in order: static checks on the parsed Dockerfile, then Docker checks
 * against the learner's real Docker through one session that is always disposed (also on abort).
 * A Docker check measures (Docker calls) and is judged (a pure function of the measurement).
 * An unfinished lesson is a result, never an exception.
 */
export const verifyLesson = async (options: VerifyOptions): Promise<VerifyOutcome> => {
  const { lesson, workspace } = options;
  const signal = options.signal ?? new AbortController().signal;
  const onProgress = options.onProgress ?? (() => undefined);
  const files = options.files ?? workspaceFiles(workspace);
  const dockerfileText = await files.read(lesson.meta.dockerfile);
  const dockerignore = (await dockerignoreFor(files, lesson.meta.dockerfile))?.text ?? null;
  const dockerfile: DockerfileAnalysis | undefined = dockerfileText === undefined ? undefined : analyzeDockerfile(dockerfileText, { dockerignore });
  const judgeCtx: JudgeContext = { dockerfile, dockerfilePath: lesson.meta.dockerfile, history: options.history ?? {} };
  const staticCtx: StaticContext = { ...judgeCtx, files, ...(options.port ? { port: options.port } : {}) };
  const problems = new Map<SkipReason, BlockingProblem>();
  const explained = new Set<SkipReason>();
  const block = (reason: SkipReason, message: Localized, line?: number) => {
    if (!problems.has(reason)) problems.set(reason, { reason, message, ...(line !== undefined ? { line } : {}) });
  };
  let session: Promise<DockerSession> | undefined;
  // Made on the first Docker use (the driver loads then), so a static-only verify never loads it.
  const dockerCtx = async (): Promise<DockerContext> => {
    session ??= Promise.resolve(
      options.createSession({
        contextDir: workspace,
        dockerfile: lesson.meta.dockerfile,
        lessonId: lesson.meta.id,
        signal,
        onProgress,
        ...(options.target ? { target: options.target } : {}),
        ...(options.transient ? { transient: true } : {}),
        ...(options.buildTimeoutMs ? { buildTimeoutMs: options.buildTimeoutMs } : {}),
      }),
    );
    return { ...staticCtx, docker: await session, signal, progress: onProgress, swarmInit: options.swarmInit === true };
  };
  const runDocker = async (id: string, check: Extract<BoundCheck, { kind: 'docker' }>): Promise<CheckOutcome> => {
    const ctx = await dockerCtx();
    const caps = await ctx.docker.capabilities();
    const closed = dockerGate(caps, check.needs, dockerfile);
    if (closed) {
      block(closed.reason, closed.full);
      return skip(closed.short, closed.reason);
    }
    try {
      const measurement = await check.measure(ctx);
      // Ctrl-C while it measured: what it saw last is the teardown (connections reset, containers
      // gone), not the learner's work, so it is not judged.
      if (signal.aborted) return skip(CANCELLED, 'cancelled');
      options.onMeasured?.({ checkId: id, measurement, dockerfile: dockerfileText, history: judgeCtx.history });
      return check.judge(measurement, judgeCtx);
    } catch (error) {
      if (error instanceof Blocked) block(error.reason, error.full, error.line);
      return failedMeasure(error, signal);
    }
  };
  // A static check whose advice holds only with a Docker feature (a cache mount needs BuildKit)
  // asks the same gate as a Docker check: on an engine without it, it is a skip, never a fail.
  // A static-only run asks Docker nothing, so it judges the file as written.
  const runStatic = async (check: Extract<BoundCheck, { kind: 'static' }>): Promise<CheckOutcome> => {
    if (check.needs.length > 0 && !options.staticOnly) {
      const closed = gate(await (await dockerCtx()).docker.capabilities(), check.needs);
      if (closed) {
        block(closed.reason, closed.full);
        return skip(closed.short, closed.reason);
      }
    }
    return check.run(staticCtx);
  };
  const selected = lesson.checks.filter((c) => !options.only || options.only.includes(c.id));
  const done = new Map<string, CheckReport>();
  // A missing or unparseable Dockerfile is the learner's to fix, in every lesson: when the lesson
  // has no check that says so (only lesson 2 has dockerfile.exists), that check's verdict leads the
  // results, so the parse error is shown, the verify fails (not "could not run") and hint knows why.
  const parses = dockerfile?.ok === true;
  // The build's head start: when the first Docker check of this run starts by building the lesson
  // image (and its gate is open), that build starts now, while the static checks run; their
  // verdicts still come first, and the check awaits this same build (the session builds each image
  // once). Only the first: a build the run makes anyway, and never beside another build.
  const builder = parses && !options.staticOnly && !signal.aborted ? selected.find((c) => c.bound.kind === 'docker') : undefined;
  if (builder?.bound.kind === 'docker' && builder.bound.buildsLessonImage) {
    const needs = builder.bound.needs;
    void dockerCtx()
      .then(async (ctx) => {
        // The copy of the context does not wait for the gate: it runs while `docker version`
        // answers (a gate that closes leaves it to dispose).
        ctx.docker.stageLessonContext?.();
        // The gate on what this machine offered at the last verify, when known: the build then
        // starts while `docker version` answers. The check asks the gate again on the answer.
        const caps = (await ctx.docker.rememberedCapabilities?.()) ?? (await ctx.docker.capabilities());
        if (!dockerGate(caps, needs, dockerfile)) await ctx.docker.lessonImage();
      })
      .catch(() => undefined); // the check itself reports what went wrong
  }
  const reportsParse = lesson.checks.some((c) => c.definition.id === dockerfileExists.id);
  if (!parses && !reportsParse && !signal.aborted) {
    const result = await Promise.resolve((dockerfileExists.bind({}) as Extract<BoundCheck, { kind: 'static' }>).run(staticCtx)).catch(crashed);
    const report: CheckReport = {
      id: dockerfileExists.id,
      title: dockerfileExists.title,
      kind: 'static',
      status: result.status,
      message: result.message,
      ...(result.line !== undefined ? { line: result.line } : {}),
    };
    done.set(report.id, report);
    options.onReport?.(report);
  }
  try {
    // Static checks first, whatever their place in the lesson: their verdicts are known in
    // milliseconds and shown at once (onReport), while the Docker checks build and run.
    const ordered = [...selected.filter((c) => c.bound.kind === 'static'), ...selected.filter((c) => c.bound.kind !== 'static')];
    for (const { id, definition, bound } of ordered) {
      // Announced only when it will really run: a Docker check of a static-only run, or of a
      // Dockerfile that does not parse, is a skip, not a step to wait for.
      if (bound.kind === 'static' || (parses && !options.staticOnly)) onProgress({ type: 'check-start', id, title: definition.title });
      let result: CheckOutcome;
      if (signal.aborted) result = skip(CANCELLED, 'cancelled');
      else if (bound.kind === 'static') result = await runStatic(bound).catch(crashed);
      else if (!parses) {
        // No build of a Dockerfile known not to parse: the learner would get the same error twice,
        // the second time as BuildKit's raw text, after a wait. The parse verdict says what to fix.
        const reason = dockerfile ? 'dockerfile-invalid' : 'no-dockerfile';
        result = skip(dockerfile ? NOT_PARSED : NO_DOCKERFILE, reason);
        explained.add(reason);
      } else if (options.staticOnly) {
        block('static-only', STATIC_ONLY);
        result = skip(STATIC_ONLY, 'static-only');
      } else result = await runDocker(id, bound).catch((error: unknown) => failedMeasure(error, signal));
      // A check that reports a blocking problem in full itself (image.builds failing) explains it.
      if (result.reason && !(result.status === 'skip' && problems.has(result.reason))) explained.add(result.reason);
      const report: CheckReport = {
        id,
        title: definition.title,
        kind: definition.kind,
        status: result.status,
        message: result.message,
        ...(result.line !== undefined ? { line: result.line } : {}),
        ...(result.measured ? { measured: result.measured } : {}),
        ...(result.reason ? { reason: result.reason } : {}),
      };
      done.set(id, report);
      options.onReport?.(report);
    }
  } finally {
    const cleanup = (async () => (await session?.catch(() => undefined))?.dispose())();
    if (options.onCleanup) options.onCleanup(cleanup);
    else await cleanup;
  }
  const parse = reportsParse ? undefined : done.get(dockerfileExists.id);
  const checks = [...(parse ? [parse] : []), ...selected.map((c) => done.get(c.id)).filter((r): r is CheckReport => r !== undefined)];
  return { checks, blocking: [...problems.values()].filter((p) => !explained.has(p.reason)) };
};

/**
 * Lesson passed: nothing failed, errored or skipped (`unknown` static checks defer to Docker checks).
 * A static-only run never passes a lesson that has Docker checks.
 */
export const lessonPassed = (reports: readonly CheckReport[]): boolean =>
  reports.length > 0 && reports.every((r) => r.status === 'pass' || r.status === 'unknown');
