import { join } from 'node:path';
import { L, type Localized } from '../i18n.js';
import { isUserError } from '../errors.js';
import { analyzeDockerfile } from '../dockerfile/analyze.js';
import type { DockerfileAnalysis } from '../dockerfile/types.js';
import type { DockerSession } from '../docker/session.js';
import type { Lesson } from '../lessons/load.js';
import { lessonCheckId } from '../lessons/load.js';
import { listFiles } from '../util/files.js';
import { readTextFile } from '../util/safe-read.js';
import type { CheckDefinition, CheckOutcome, CheckReport, ProgressEvent, StaticContext, WorkspaceFiles } from './types.js';

export interface SessionFactoryOptions {
  readonly contextDir: string;
  readonly dockerfile: string;
  readonly lessonId: string;
  readonly signal: AbortSignal;
  readonly onProgress: (event: ProgressEvent) => void;
}

export interface VerifyOptions {
  readonly lesson: Lesson;
  readonly workspace: string;
  readonly registry: ReadonlyMap<string, CheckDefinition>;
  readonly staticOnly?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly history?: Readonly<Record<string, Readonly<Record<string, number | string | boolean | null>>>>;
  /** Makes the Docker session (the real driver, or a fake in tests). */
  readonly createSession: (options: SessionFactoryOptions) => DockerSession;
}

/** The workspace as checks see it; reads refuse links out of it, loops, folders and oversized files (UserError). */
export const workspaceFiles = (dir: string): WorkspaceFiles => ({
  dir,
  read: (rel) => readTextFile(rel, { root: dir, shown: rel }),
  list: async (rel) => (await listFiles(join(dir, rel))).map((p) => (rel ? `${rel.replace(/\/$/, '')}/${p}` : p)),
});

const report = (id: string, def: CheckDefinition, outcome: CheckOutcome): CheckReport => ({
  id,
  title: def.title,
  kind: def.kind,
  status: outcome.status,
  message: outcome.message,
  ...(outcome.line !== undefined ? { line: outcome.line } : {}),
  ...(outcome.measured ? { measured: outcome.measured } : {}),
});

const crashed = (error: unknown): CheckOutcome => {
  const text = error instanceof Error ? error.message : String(error);
  return {
    status: 'error',
    message: L(`The check itself failed (not your Dockerfile): ${text}`, `检查本身出错（不是你的 Dockerfile 的问题）：${text}`),
  };
};

const STATIC_ONLY: Localized = L('Skipped: --static-only runs no Docker checks.', '已跳过：--static-only 不运行 Docker 检查。');

/**
 * Runs a lesson's checks in order: static checks on the parsed Dockerfile, then Docker checks
 * against the learner's real Docker through one session that is always disposed (also on abort).
 * An unfinished lesson is a result, never an exception.
 */
export const verifyLesson = async (options: VerifyOptions): Promise<CheckReport[]> => {
  const { lesson, workspace, registry } = options;
  const signal = options.signal ?? new AbortController().signal;
  const onProgress = options.onProgress ?? (() => undefined);
  const files = workspaceFiles(workspace);
  const dockerfileText = await files.read(lesson.meta.dockerfile);
  const dockerignore = (await files.read('.dockerignore')) ?? null;
  const dockerfile: DockerfileAnalysis | undefined =
    dockerfileText === undefined ? undefined : analyzeDockerfile(dockerfileText, { dockerignore });
  const staticCtx: StaticContext = { files, dockerfile, dockerfilePath: lesson.meta.dockerfile };
  let session: DockerSession | undefined;
  const reports: CheckReport[] = [];
  try {
    for (const check of lesson.meta.checks) {
      const id = lessonCheckId(check);
      const def = registry.get(check.check);
      if (!def) throw new Error(`unknown check ${check.check}`);
      onProgress({ type: 'check-start', id });
      if (signal.aborted) {
        reports.push(report(id, def, { status: 'skip', message: L('Cancelled.', '已取消。') }));
        continue;
      }
      const params = def.params.parse(check.params);
      let outcome: CheckOutcome;
      try {
        if (def.kind === 'static') {
          outcome = await def.run(staticCtx, params);
        } else if (options.staticOnly) {
          outcome = { status: 'skip', message: STATIC_ONLY };
        } else {
          session ??= options.createSession({
            contextDir: workspace,
            dockerfile: lesson.meta.dockerfile,
            lessonId: lesson.meta.id,
            signal,
            onProgress,
          });
          outcome = await runDockerCheck(def, { ...staticCtx, docker: session, history: options.history ?? {}, signal, progress: onProgress }, params);
        }
      } catch (error) {
        // A workspace file the runner refuses to read (a link out of the workspace, 50 MB...) stops
        // the verify with that one message, as it does for the Dockerfile; it is not a broken check.
        if (isUserError(error)) throw error;
        outcome = signal.aborted ? { status: 'skip', message: L('Cancelled.', '已取消。') } : crashed(error);
      }
      reports.push(report(id, def, outcome));
    }
  } finally {
    await session?.dispose();
  }
  return reports;
};

/** Sessions whose "Docker is not usable" reason was already reported once in this verify. */
const explained = new WeakSet<DockerSession>();

const runDockerCheck = async (
  def: Extract<CheckDefinition, { kind: 'docker' }>,
  ctx: Parameters<Extract<CheckDefinition, { kind: 'docker' }>['run']>[0],
  params: unknown,
): Promise<CheckOutcome> => {
  const caps = await ctx.docker.capabilities();
  if (!caps.available && explained.has(ctx.docker)) {
    return { status: 'skip', message: L('Skipped: Docker is not usable (see above).', '已跳过：Docker 不可用（见上文）。') };
  }
  if (!caps.available) {
    explained.add(ctx.docker);
    return {
      status: 'skip',
      message: caps.problem
        ? L(`Docker is not usable: ${caps.problem.message.en} ${caps.problem.next.en}`, `Docker 不可用：${caps.problem.message['zh-CN']} ${caps.problem.next['zh-CN']}`)
        : L('Docker is not usable.', 'Docker 不可用。'),
    };
  }
  for (const need of def.needs ?? []) {
    if (need === 'buildkit' && caps.builder === 'classic') {
      return {
        status: 'skip',
        message: L(
          'This check needs BuildKit, and your Docker only has the classic builder. Install the buildx plugin (Docker Desktop and docker-ce include it), then verify again.',
          '这项检查需要 BuildKit，而你的 Docker 只有旧版构建器。请安装 buildx 插件（Docker Desktop 和 docker-ce 自带），然后重新校验。',
        ),
      };
    }
    if (need === 'compose' && caps.compose === 'none') {
      return {
        status: 'skip',
        message: L(
          'This check needs Docker Compose (the `docker compose` plugin or `docker-compose`), which was not found. Install it, then verify again.',
          '这项检查需要 Docker Compose（`docker compose` 插件或 `docker-compose`），但没有找到。安装后重新校验。',
        ),
      };
    }
  }
  return def.run(ctx, params);
};

/** Lesson passed: nothing failed, errored or skipped (`unknown` static checks defer to Docker checks). */
export const lessonPassed = (reports: readonly CheckReport[]): boolean =>
  reports.length > 0 && reports.every((r) => r.status === 'pass' || r.status === 'unknown');
