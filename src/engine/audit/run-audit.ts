import { L, type Localized } from '../i18n.js';
import { verifyLesson, type MeasurementRecord, type SessionFactory } from '../checks/run.js';
import type { CheckDefinition, CheckReport, CheckStatus, Measured, ProgressEvent } from '../checks/types.js';
import type { Course } from '../lessons/course.js';
import { packageVersion } from '../util/package-root.js';
import { HEALTH_PROBE_ID, scorecardItems, scorecardLesson } from './scorecard.js';
import { locateRepo, type LocatedRepo } from './locate.js';
import { privateBuildProblem, registryProblem } from './private-build.js';

/** The `--json` schema's name and version: a consumer checks both; a change that breaks it bumps the version. */
export const AUDIT_SCHEMA = 'learn-go-docker/audit';
export const AUDIT_SCHEMA_VERSION = 1;

/** A build may take this long before audit stops it and says so (a lesson's own builds get 15 minutes). */
export const AUDIT_BUILD_BUDGET_MS = 10 * 60_000;

export interface AuditOptions {
  /** The repository (the build context). */
  readonly dir: string;
  /** The Dockerfile, relative to dir (or absolute, inside it); found when absent. */
  readonly dockerfile?: string;
  readonly target?: string;
  readonly port?: number;
  readonly path?: string;
  readonly course: Course;
  readonly registry: ReadonlyMap<string, CheckDefinition>;
  readonly createSession: SessionFactory;
  readonly signal?: AbortSignal;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly buildBudgetMs?: number;
  /** Each Docker check's raw measurement (recording fixtures for the judges' unit tests). */
  readonly onMeasured?: (record: MeasurementRecord) => void;
}

/** pass and fail are verdicts; unknown: audit could not tell (not run, no health path, Docker missing). */
export type AuditStatus = 'pass' | 'fail' | 'unknown';

export interface AuditItem {
  readonly id: string;
  readonly title: Localized;
  readonly status: AuditStatus;
  readonly message: Localized;
  readonly line?: number;
  readonly measured?: Measured;
  /** The lesson that teaches it: `learn-go-docker goto <lesson>`. */
  readonly lesson: { readonly number: number; readonly id: string; readonly title: Localized };
}

export interface AuditReport {
  readonly schema: typeof AUDIT_SCHEMA;
  readonly version: typeof AUDIT_SCHEMA_VERSION;
  readonly tool: string;
  /** Absolute path of the audited repository. */
  readonly repo: string;
  /** The Dockerfile, relative to the repository. */
  readonly dockerfile: string;
  readonly target: string | null;
  readonly port: LocatedRepo['port'];
  readonly healthPath: LocatedRepo['healthPath'];
  /** full: built, run and probed; static: only what the files say. */
  readonly mode: 'full' | 'static';
  /** Why only the static part: not a Go repository, a build that needs credentials, or no usable Docker. */
  readonly staticBecause: 'not-go' | 'private-build' | 'no-docker' | null;
  /** Why the scorecard is partial, in plain words. */
  readonly notices: readonly Localized[];
  readonly items: readonly AuditItem[];
  readonly summary: { readonly pass: number; readonly fail: number; readonly unknown: number };
}

const statusOf = (status: CheckStatus): AuditStatus => (status === 'pass' || status === 'fail' ? status : 'unknown');

/**
 * `audit`: the course's production scorecard on any Go repository. It builds and runs the image as
 * a verify does (labelled, limited, 127.0.0.1 only, everything removed after, the repository only
 * read: builds use a staged copy), and says for each item what was measured and which lesson
 * teaches it.
 */
export const runAudit = async (options: AuditOptions): Promise<AuditReport> => {
  const { dir, survey, dockerfile, readAs, analysis, port, healthPath } = await locateRepo(options);
  const notices: Localized[] = [];
  const go = survey.goModules.length > 0;
  if (!go) {
    notices.push(
      L(
        'No go.mod or go.work in this repository: it is not a Go service, so audit does not build or run it. Below is the static part of the scorecard (what the Dockerfile says).',
        '这个仓库里没有 go.mod 或 go.work：它不是 Go 服务，因此 audit 不会构建或运行它。下面是评分卡的静态部分（Dockerfile 本身说明的内容）。',
      ),
    );
  }
  if (survey.truncated) {
    notices.push(
      L(
        'The repository is large: audit looked at its first 20000 files and folders for Dockerfiles, go.mod and key files.',
        '仓库很大：audit 只在前 20000 个文件和文件夹中查找 Dockerfile、go.mod 和密钥文件。',
      ),
    );
  }
  const items = scorecardItems({
    go,
    ...(port ? { port: port.value } : {}),
    ...(healthPath ? { healthPath: healthPath.value } : {}),
    secretFiles: survey.secretFiles,
  });
  const lesson = scorecardLesson(options.course, options.registry, items, dockerfile);
  const teacher = new Map(items.map((item) => [item.id ?? item.check, options.course.byId(item.teaches)]));
  const kinds = new Map(lesson.checks.map((c) => [c.id, c.bound.kind]));

  const toItem = (report: CheckReport): AuditItem => {
    const taught = teacher.get(report.id);
    return {
      id: report.id,
      title: report.title,
      status: statusOf(report.status),
      message: report.message,
      ...(report.line !== undefined ? { line: report.line } : {}),
      ...(report.measured ? { measured: report.measured } : {}),
      lesson: { number: taught?.number ?? 0, id: taught?.meta.id ?? '', title: taught?.meta.title ?? L('', '') },
    };
  };
  const outcome = await verifyLesson({
    lesson,
    workspace: dir,
    files: readAs,
    staticOnly: !go,
    transient: true,
    ...(options.target !== undefined ? { target: options.target } : {}),
    ...(port ? { port: port.value } : {}),
    buildTimeoutMs: options.buildBudgetMs ?? AUDIT_BUILD_BUDGET_MS,
    createSession: options.createSession,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.onMeasured ? { onMeasured: options.onMeasured } : {}),
  });
  let reports = outcome.checks;
  let mode: AuditReport['mode'] = go ? 'full' : 'static';
  let staticBecause: AuditReport['staticBecause'] = go ? null : 'not-go';
  const built = reports.find((r) => r.id === 'image.builds');
  const budget = options.buildBudgetMs ?? AUDIT_BUILD_BUDGET_MS;
  const seconds = built?.measured?.buildSeconds;
  if (built?.status === 'fail' && typeof seconds === 'number' && seconds * 1000 >= budget - 1000) {
    const limit =
      budget >= 60_000
        ? L(`${Math.round(budget / 60_000)} minutes`, `${Math.round(budget / 60_000)} 分钟`)
        : L(`${Math.round(budget / 1000)} s`, `${Math.round(budget / 1000)} 秒`);
    notices.push(
      L(
        `The build was stopped after ${limit.en}, audit's budget for one build. Build the image once yourself (the layers are then cached) and audit again.`,
        `构建在 ${limit['zh-CN']}后被停止，这是 audit 给一次构建的时限。请先自己构建一次镜像（各层随后会被缓存），再运行 audit。`,
      ),
    );
  }
  const unreachable = built?.status === 'fail' ? registryProblem(built.message) : undefined;
  if (unreachable) {
    notices.push(unreachable);
    // The registry, not the Dockerfile: the build's verdict is not known until the image can be pulled.
    reports = reports.map((r) => (r.id === 'image.builds' ? { ...r, status: 'unknown' as const } : r));
  }
  const privateBuild = built?.status === 'fail' ? privateBuildProblem(built.message, analysis) : undefined;
  // Keep the static verdicts and the build's own (it quotes the output that says what was missing).
  if (privateBuild) {
    notices.push(privateBuild);
    mode = 'static';
    staticBecause = 'private-build';
    reports = reports.filter((r) => kinds.get(r.id) === 'static' || r.id === 'image.builds');
  } else if (mode === 'static') reports = reports.filter((r) => kinds.get(r.id) === 'static');
  for (const problem of outcome.blocking) {
    if (problem.reason === 'docker-unavailable') {
      mode = 'static';
      staticBecause = 'no-docker';
      reports = reports.filter((r) => kinds.get(r.id) === 'static');
    }
    if (problem.reason !== 'static-only') notices.push(problem.message);
  }
  const auditItems = reports.map(toItem);
  if (mode === 'full' && !items.some((i) => i.id === HEALTH_PROBE_ID)) {
    const missing = port ? L('health path', '健康检查路径') : healthPath ? L('port', '端口') : L('port and no health path', '端口，也没有健康检查路径');
    const give = [...(port ? [] : ['--port 8080']), ...(healthPath ? [] : ['--path /health'])].join(' ');
    const probe = options.registry.get('http.probe');
    const taught = options.course.byId('ports-and-bind-address');
    auditItems.push({
      id: HEALTH_PROBE_ID,
      title: probe?.title ?? L('The app answers over HTTP', '应用能通过 HTTP 响应'),
      status: 'unknown',
      message: L(
        `Not probed: audit found no ${missing.en} (EXPOSE and a HEALTHCHECK with a URL say them). Give ${port || healthPath ? 'it' : 'them'}: ${give}`,
        `未探测：audit 没有找到${missing['zh-CN']}（EXPOSE 和带 URL 的 HEALTHCHECK 会说明）。请指定：${give}`,
      ),
      lesson: { number: taught?.number ?? 0, id: taught?.meta.id ?? '', title: taught?.meta.title ?? L('', '') },
    });
  }
  const count = (status: AuditStatus) => auditItems.filter((i) => i.status === status).length;
  return {
    schema: AUDIT_SCHEMA,
    version: AUDIT_SCHEMA_VERSION,
    tool: packageVersion(),
    repo: dir,
    dockerfile,
    target: options.target ?? null,
    port,
    healthPath,
    mode,
    staticBecause,
    notices,
    items: auditItems,
    summary: { pass: count('pass'), fail: count('fail'), unknown: count('unknown') },
  };
};
