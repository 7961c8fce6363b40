/**
 * The engine's one way in. Commands and the Ink UI import from here only (a test enforces it).
 * Everything exported eagerly is light; heavy parts (the Docker driver, the Dockerfile analysis,
 * doctor, clean, dev-check, the file watcher) load when a function that needs them is called, so
 * `--version` and `list` stay fast.
 */
import type { CaseResult } from './dev/check-cases.js';
import type { DevCheckOptions, LessonCheckResult } from './dev/check-lessons.js';
import type { CleanItem } from './docker/clean-all.js';
import type { AuditReport } from './audit/run-audit.js';
import type { LearnerReport } from './report/learner-report.js';
import type { MergeResult } from './report/merge.js';
import { L } from './i18n.js';
import { UserError } from './errors.js';
import { packageVersion } from './util/package-root.js';
import { readTextFile } from './util/safe-read.js';
import type { DoctorReport } from './doctor/types.js';
import type { PrepareEvent } from './prepare/types.js';
import type { MirrorRule } from './prepare/mirror.js';
import type { AnalyzeOptions, DockerfileAnalysis } from './dockerfile/types.js';
import type { CheckScope } from './lessons/course.js';
import type { Course } from './lessons/load.js';
import type { Lang, Localized } from './i18n.js';
import type { OpenedTutorial } from './tutorial.js';
import type { LessonSummary, TutorialApi, VerifyResult } from './tutorial-api.js';
import type { FlushResult, WorkshopConfig } from './workshop/client.js';
import type { LearnerDetail, RoomState } from './workshop/room.js';
import type { WorkshopServer } from './workshop/server.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from './util/package-root.js';
// Every command that opens a workspace needs these two: static, so they load with the engine's chunk.
import { loadCompiledCourse } from './lessons/compiled.js';
import { openTutorial } from './tutorial.js';
import { requireWorkspace } from './workspace/paths.js';
import { joinedWorkshop, reportVerifyToWorkshop, verdictOf } from './workshop/hook.js';
import { gateSolutions } from './workshop/mode.js';
import type { CatchUpResult } from './workspace/catch-up.js';
import type { SolutionsUpTo } from './workshop/solutions.js';
import type { RoomModules } from './workshop/room-modules.js';

export { L, tr, cjkGlue, detectLang, isLang, type Lang, type Localized } from './i18n.js';
export { UserError, EnvironmentError, CourseError, isUserError, lessonMovedTo } from './errors.js';
export { describeFailure, type Failure } from './failure.js';
export { userErrorFromFs } from './fs-errors.js';
export { terminalSafe, terminalSink, type TextSink } from './util/terminal-safe.js';
export { readTextFile } from './util/safe-read.js';
export { mb as sizeText } from './checks/outcome.js';
export { refuseKernelFs } from './util/system-paths.js';
export { packageVersion } from './util/package-root.js';
export { DEFAULT_WORKSPACE_NAME, isWorkspace, resolveWorkspace } from './workspace/paths.js';
export { explainOnce } from './checks/blocking.js';
export { diskUseLine } from './docker/disk-use.js';
export { partHeading } from './lessons/part-heading.js';
export { slowStepNote, stepLabel } from './progress-words.js';
export type { BlockingProblem, CheckReport, CheckStatus, ProgressEvent } from './checks/types.js';
export type { Finding, DockerfileAnalysis, DockerfileFacts } from './dockerfile/types.js';
export type { Tutorial } from './tutorial.js';
export type { Lesson } from './lessons/load.js';
export type { LessonCheckResult } from './dev/check-lessons.js';
export type { CaseResult } from './dev/check-cases.js';
export type { CleanItem } from './docker/clean-all.js';
export type { AuditItem, AuditReport, AuditStatus } from './audit/run-audit.js';
export type { LearnerReport, ReportLesson } from './report/learner-report.js';
export type { MergeResult, MergedRow } from './report/merge.js';
export type { FlushResult, WorkshopConfig } from './workshop/client.js';
export type { FailingCheck, LearnerRow, RoomState } from './workshop/room.js';
export { failingNow, learnerMarks, type LearnerDetail } from './workshop/room.js';
export type { WorkshopServer } from './workshop/server.js';
export type { RoomModules } from './workshop/room-modules.js';
export type { CatchUpResult, CaughtUpLesson } from './workspace/catch-up.js';
export type { SolutionsUpTo } from './workshop/solutions.js';
export { workshopModeOn } from './workshop/mode.js';
export type { DoctorItem, DoctorReport } from './doctor/types.js';
export { parseMirrors, type MirrorRule } from './prepare/mirror.js';
export { utcMinute } from './util/utc-minute.js';
export type { ExportProblem, ExportResult, ImageCheck, ImageOutcome, ImportResult, ModulesOutcome, PrepareEvent, PrepareResult } from './prepare/index.js';
export type * from './tutorial-api.js';

let course: Promise<Course> | undefined;

/** Set by the bundler: the installed CLI starts from the course compiled at build time. */
declare const __LGD_BUNDLED__: boolean | undefined;

const registry = async () => (await import('./checks/registry.js')).checkRegistry();
/** A static-only verify loads the static checks alone (the Docker checks are a third of the check code). */
const registryFor = async (scope: CheckScope) => (scope === 'static' ? (await import('./checks/static-registry.js')).staticCheckRegistry() : registry());

const bundled = typeof __LGD_BUNDLED__ === 'boolean' && __LGD_BUNDLED__;

/** Whether the lesson folders (with their proof cases) are here: a source checkout, not the installed package. */
const lessonFoldersHere = (): boolean => !bundled || existsSync(join(packageRoot(), 'lessons'));

/**
 * The lesson folders as they are on disk now, parsed and validated: `dev-check` proves the lesson an
 * author is writing, not the copy the last build compiled into dist/course.json. An installed
 * package has no lesson folders (they travel compiled and packed): there it proves the course as shipped.
 */
const loadLessonFolders = (): Promise<Course> =>
  lessonFoldersHere()
    ? Promise.all([import('./lessons/load.js'), registry()]).then(([{ loadCourse }, checks]) => loadCourse(packageRoot(), checks))
    : loadShippedCourse();

/**
 * The course shipped with this package, once per process. The bundle reads dist/course.json
 * (validated at build time; checks bound on first use); from source the lesson folders are read
 * and validated.
 */
export const loadShippedCourse = (): Promise<Course> =>
  (course ??= bundled
    ? loadCompiledCourse(packageRoot(), join(packageRoot(), 'dist', 'course.json'), join(packageRoot(), 'dist', 'course-files.json.gz'), registryFor)
    : loadLessonFolders());

/** Opens the workspace of --dir (or the current folder) with the real Docker driver. */
export const openWorkspaceTutorial = async (dir: string | undefined, cwd: string): Promise<OpenedTutorial> => {
  const workspace = requireWorkspace(dir, cwd);
  const shipped = await loadShippedCourse();
  // A joined workspace's room module proxy (workshop/room-proxy.ts: one small file read, then one
  // question to the room), asked while the checks load and handed to the driver before its builds.
  // Asked again each verify: the room may have closed (the laptop went home) or come back.
  // (A verify that made no session leaves its answer unused: it is taken only while fresh.)
  let roomProbe: { readonly at: number; readonly answer: Promise<string | undefined> } | undefined;
  const probeRoom = (): Promise<string | undefined> => {
    if (!roomProbe || Date.now() - roomProbe.at > 30_000) {
      roomProbe = {
        at: Date.now(),
        // The learner's own proxy wins, and a workspace that never joined has no room: nothing to
        // load or ask on those verifies.
        answer:
          process.env.LEARN_GO_DOCKER_GOPROXY || !joinedWorkshop(workspace)
            ? Promise.resolve(undefined)
            : import('./workshop/room-proxy.js').then(
                ({ reachableRoomGoproxy }) => reachableRoomGoproxy(workspace),
                () => undefined,
              ),
      };
    }
    return roomProbe.answer;
  };
  // The Docker driver loads when a verify first needs a session, not for list or goto.
  const opened = await openTutorial({
    course: shipped,
    workspace,
    createSession: async (options) => {
      const [docker, room] = await Promise.all([import('./docker/index.js'), probeRoom()]);
      roomProbe = undefined;
      docker.useRoomGoproxy(room);
      return docker.createDockerSession(options);
    },
    afterVerify: (verified) => reportVerifyToWorkshop(workspace, verified),
    // The probe alone (not the whole driver), so `docker version` starts before the rest loads.
    warmDocker: () => {
      void probeRoom();
      return import('./docker/capabilities.js').then(
        ({ detectCapabilities }) => void detectCapabilities().catch(() => undefined),
        () => undefined,
      );
    },
  });
  // Workshop mode: solutions (shown or applied, by a command or the UI's key) wait for the instructor.
  return { ...opened, api: gateSolutions(opened.api, workspace) };
};

/** Creates a workspace with the sample app and lesson 1 (refuses a folder that is not empty). */
export const createWorkspaceAt = async (dir: string, now = new Date()): Promise<void> => {
  const [{ createWorkspace }, shipped] = await Promise.all([import('./workspace/workspace.js'), loadShippedCourse()]);
  await createWorkspace(dir, shipped, now);
};

/** The course's Dockerfile analysis (facts and findings), as `lint` prints it. */
export const analyzeDockerfileText = async (text: string, options: AnalyzeOptions = {}): Promise<DockerfileAnalysis> =>
  (await import('./dockerfile/analyze.js')).analyzeDockerfile(text, options);

/** `doctor`: what this machine has and lacks for the course. */
export const runDoctorReport = async (signal?: AbortSignal): Promise<DoctorReport> => {
  const [{ runDoctor }, { courseBaseImages }, shipped] = await Promise.all([
    import('./doctor/index.js'),
    import('./lessons/base-images.js'),
    loadShippedCourse(),
  ]);
  return runDoctor({ baseImages: await courseBaseImages(shipped), signal });
};

/** `prepare` (issue 15): the course's base images for a platform, its Go modules in the build cache, then doctor. */
export const prepareThisMachine = async (options: {
  platform?: string;
  mirrors?: readonly MirrorRule[];
  signal?: AbortSignal;
  onEvent?: (event: PrepareEvent) => void;
}) => (await import('./prepare/index.js')).prepareCourse({ ...options, course: await loadShippedCourse() });

/** `prepare --export FILE`: one archive of the base images, the module download and a manifest. */
export const exportPrepareArchive = async (options: {
  file: string;
  cwd: string;
  platform?: string;
  signal?: AbortSignal;
  onEvent?: (event: PrepareEvent) => void;
}) => (await import('./prepare/index.js')).exportCourseArchive({ ...options, tool: packageVersion(), course: await loadShippedCourse() });

/** `prepare --import FILE`: docker load, each image checked by ID, the module cache restored. */
export const importPrepareArchive = async (options: { file: string; cwd: string; signal?: AbortSignal; onEvent?: (event: PrepareEvent) => void }) =>
  (await import('./prepare/index.js')).importCourseArchive({ ...options, course: await loadShippedCourse() });

/** `clean`: what the tutorial left on this machine, and removing it. */
export const planCleanup = async (...args: Parameters<typeof import('./docker/clean-all.js').planClean>) =>
  (await import('./docker/clean-all.js')).planClean(...args);
export const runCleanup = async (...args: Parameters<typeof import('./docker/clean-all.js').runClean>) =>
  (await import('./docker/clean-all.js')).runClean(...args);
export const dockerCapabilities = async () => (await import('./docker/index.js')).detectCapabilities();
export type CleanPlan = readonly CleanItem[];

/** `dev-check`: every lesson's start fails as declared and its solution passes, on the real Docker. */
export const checkShippedLessons = async (options: Omit<DevCheckOptions, 'course' | 'createSession'>): Promise<LessonCheckResult[]> => {
  const [{ checkLessons }, { createDockerSession }, shipped] = await Promise.all([
    import('./dev/check-lessons.js'),
    import('./docker/index.js'),
    loadLessonFolders(),
  ]);
  return checkLessons({ ...options, course: shipped, createSession: createDockerSession });
};

/** Whether this package holds the lessons' proof cases: a source checkout does, the installed package not. */
export const proofCasesShipped = lessonFoldersHere;

/** The proof cases of the named lessons (all when none): each wrong or right answer gets its verdict. */
export const checkShippedCases = async (
  names: readonly string[],
  options: Omit<import('./dev/check-cases.js').CheckCasesOptions, 'course' | 'createSession' | 'lessons'>,
): Promise<CaseResult[]> => {
  const [{ checkCases }, { selectLessons }, { createDockerSession }, shipped] = await Promise.all([
    import('./dev/check-cases.js'),
    import('./dev/check-lessons.js'),
    import('./docker/index.js'),
    loadLessonFolders(),
  ]);
  return checkCases({ ...options, course: shipped, lessons: selectLessons(shipped, names), createSession: createDockerSession });
};

/** `audit`: the course's production scorecard on any Go repository, with the real Docker driver. */
export const auditRepository = async (
  options: Omit<import('./audit/run-audit.js').AuditOptions, 'course' | 'registry' | 'createSession'>,
): Promise<AuditReport> => {
  const [{ runAudit }, { createDockerSession }, shipped, checks] = await Promise.all([
    import('./audit/run-audit.js'),
    import('./docker/index.js'),
    loadShippedCourse(),
    registry(),
  ]);
  return runAudit({ ...options, course: shipped, registry: checks, createSession: createDockerSession });
};

/**
 * `report`: the learner's own summary, from the workspace's progress as it is (read, never
 * written, no lock: a verify running meanwhile is not disturbed). --dir or the current folder.
 */
/** The name the learner gave `join`, when this workspace joined a room (a report then carries the same name as the room's row). */
export const joinedNameOf = async (dir: string | undefined, cwd: string): Promise<string | undefined> =>
  (await (await import('./workshop/client.js')).readWorkshopConfig(requireWorkspace(dir, cwd)))?.name;

export const learnerReportOf = async (dir: string | undefined, cwd: string, learner: string, now = new Date()): Promise<LearnerReport> => {
  const workspace = requireWorkspace(dir, cwd);
  const [{ learnerReport }, { readProgressAsIs }, shipped] = await Promise.all([
    import('./report/learner-report.js'),
    import('./progress/progress.js'),
    loadShippedCourse(),
  ]);
  const progress = await readProgressAsIs(workspace);
  if (!progress) {
    throw new UserError(L(`The progress file of ${workspace} cannot be read.`, `无法读取 ${workspace} 的进度文件。`), {
      next: L(
        'Open the tutorial once (npx learn-go-docker list) to recover it from its backup, then run report again.',
        '先打开一次教程（npx learn-go-docker list）从备份恢复，再运行 report。',
      ),
    });
  }
  return learnerReport(shipped, progress, { learner, now, tool: packageVersion() });
};

/** `report --merge`: many learners' `report --json` files in one table; unreadable ones are skipped and said. */
export const mergeReportFiles = async (files: readonly string[], cwd: string): Promise<MergeResult> => {
  const [{ mergeReports }, { resolve }] = await Promise.all([import('./report/merge.js'), import('node:path')]);
  const read = await Promise.all(
    files.map(async (file) => {
      const text = await readTextFile(resolve(cwd, file), { shown: file }).catch((error: unknown) => ({ error }));
      return { file, text };
    }),
  );
  const texts = read.map(({ file, text }) => ({
    file,
    text: typeof text === 'string' ? text : '',
    missing: text === undefined ? L('no such file', '没有这个文件') : typeof text === 'object' ? L('cannot be read', '无法读取') : undefined,
  }));
  const merged = mergeReports(texts.filter((t) => !t.missing));
  return { rows: merged.rows, skipped: [...texts.flatMap((t) => (t.missing ? [{ file: t.file, reason: t.missing }] : [])), ...merged.skipped] };
};

/** Watch mode's file watcher (chokidar, polling where events are unreliable), loaded when the UI starts. */
export const loadFileWatcher = async (): Promise<typeof import('./watch/watch-files.js').watchFiles> => (await import('./watch/watch-files.js')).watchFiles;

/** Opens a file in the learner's $VISUAL/$EDITOR and waits for it to close. */
export const openInEditor = async (path: string): Promise<void> => (await import('./docker/editor.js')).openInEditor(path);

/** Removes everything live verifies created, within `timeoutMs`. */
export const shutdown = async (timeoutMs = 10_000): Promise<void> => (await import('./docker/index.js')).disposeAllSessions(timeoutMs);

/**
 * `workshop serve`: the instructor's server, on --host (default: this machine's first network
 * address) and --port, with the room's Go module proxy when its folder could be filled (`roomModules`
 * says how many modules and from where, or why not).
 */
export const startWorkshop = async (options: {
  dir: string;
  host?: string;
  port: number;
  signal?: AbortSignal;
  /** Called when the module folder has to be filled (not when an earlier start filled it): it may take a while. */
  onFillingModules?: () => void;
}): Promise<WorkshopServer & { readonly roomModules: RoomModules }> => {
  const [{ startWorkshopServer }, { defaultWorkshopHost }, { fillRoomModules, realRoomModulesDriver, loopbackHost }] = await Promise.all([
    import('./workshop/server.js'),
    import('./workshop/host.js'),
    import('./workshop/room-modules.js'),
  ]);
  const host = options.host ?? defaultWorkshopHost();
  const roomModules = async (): Promise<RoomModules> => {
    // Builds on learners' laptops (and inside BuildKit, even on this one) cannot reach this laptop's
    // loopback: a proxy there would serve nobody, so it is not filled (and no process is started).
    if (loopbackHost(host))
      return {
        ok: false,
        reason: L(
          `the server listens on ${host}, which builds on other laptops cannot reach (start with --host and this laptop's network address)`,
          `服务器监听在 ${host} 上，其他电脑上的构建无法访问（请用 --host 加这台电脑的网络地址启动）`,
        ),
      };
    const shipped = await loadShippedCourse();
    const [goMod, goSum] = await Promise.all([shipped.files.read('sample-app/go.mod'), shipped.files.read('sample-app/go.sum')]);
    if (!goMod || !goSum) return { ok: false, reason: L('the course has no sample-app/go.mod or go.sum', '课程中没有 sample-app/go.mod 或 go.sum') };
    return fillRoomModules({
      roomDir: options.dir,
      goMod: goMod.bytes,
      goSum: goSum.bytes,
      driver: await realRoomModulesDriver(options.signal),
      ...(options.onFillingModules ? { onFilling: options.onFillingModules } : {}),
    });
  };
  // The room must start even when its module folder cannot be made (a full disk, a read-only folder):
  // then the proxy is off and says why. Only Ctrl-C stops the start.
  const modules = await roomModules().catch((error: unknown): RoomModules => {
    if (options.signal?.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: L(`filling its folder failed: ${message}`, `填充它的文件夹失败：${message}`) };
  });
  const server = await startWorkshopServer({
    dir: options.dir,
    host,
    port: options.port,
    ...(modules.ok ? { goproxyDir: modules.dir } : {}),
  });
  return { ...server, roomModules: modules };
};

/** `workshop export`: the room as its log says (at its last event), with no server running. */
export const readWorkshopRoom = async (dir: string, now?: number): Promise<{ room: RoomState; events: number; skipped: number }> =>
  (await import('./workshop/server.js')).roomFromLog(dir, now);

export const formatWorkshopRoom = async (room: RoomState, format: 'csv' | 'md', lang: Lang = 'en'): Promise<string> => {
  const { roomCsv, roomMarkdown } = await import('./workshop/export.js');
  return format === 'csv' ? roomCsv(room) : roomMarkdown(room, lang);
};

/** `workshop serve`'s live view: one learner's last verify and last help request, read from the room's log. */
export const readWorkshopLearner = async (dir: string, learnerId: string, room?: RoomState): Promise<LearnerDetail | undefined> => {
  const [{ readEventLog }, { learnerDetail }] = await Promise.all([import('./workshop/event-log.js'), import('./workshop/room.js')]);
  return learnerDetail((await readEventLog(dir)).events, learnerId, room);
};

/** The join QR code (level M, byte mode) as lines of half blocks for the terminal. */
export const workshopQrText = async (text: string, options: { quiet?: number; invert?: boolean } = {}): Promise<string[]> => {
  const { encodeQr, qrToText } = await import('./workshop/qr.js');
  return qrToText(encodeQr(text), options);
};

/** `join`: checks the server and the code, stores the room in the workspace, and says hello (queued if not sent). */
export const joinWorkshopRoom = async (options: {
  workspace: string;
  url: string;
  code: string;
  name: string;
  lesson: { id: string; number: number };
}): Promise<{ config: WorkshopConfig; flush: FlushResult }> => {
  const { joinWorkshop, announceJoin } = await import('./workshop/client.js');
  const config = await joinWorkshop(options);
  return { config, flush: await announceJoin(options.workspace, config, options.lesson) };
};

/** `ask`: the learner's Dockerfile and last verdict to the instructor, on request only. */
export const askWorkshopHelp = async (options: {
  workspace: string;
  lesson: { id: string; number: number };
  last: VerifyResult | undefined;
}): Promise<{ dockerfileChars: number | null; flush: FlushResult }> => {
  const { askForHelp } = await import('./workshop/client.js');
  const { event, flush } = await askForHelp({
    workspace: options.workspace,
    lesson: options.lesson,
    lastVerdict: options.last ? verdictOf(options.last) : null,
  });
  return { dockerfileChars: event.dockerfile === null ? null : event.dockerfile.length, flush };
};

/** `goto N --catch-up`: the solutions of the unpassed lessons before N, each after a backup, then lesson N. */
export const catchUpTo = async (api: TutorialApi, targetId: string): Promise<CatchUpResult> => (await import('./workspace/catch-up.js')).catchUp(api, targetId);

/** The lessons a catch-up to `targetId` would write solutions into. */
export const lessonsToCatchUp = async (api: TutorialApi, targetId: string): Promise<LessonSummary[]> =>
  (await import('./workspace/catch-up.js')).lessonsToCatchUp(api, api.findLesson(targetId));

/** Workshop mode's refusal for a lesson's solution (the server asked within 1.5 s), or undefined when it may be shown. */
export const workshopSolutionRefusal = async (workspace: string, lessonNumber: number): Promise<UserError | undefined> => {
  const { solutionsGated } = await import('./workshop/mode.js');
  if (!solutionsGated(workspace)) return undefined;
  return (await import('./workshop/solution-gate.js')).solutionRefusal(workspace, lessonNumber);
};

/** `--workshop` / `--no-workshop`: remembered in the workspace of --dir (or the current folder). Says whether it changed. */
export const setWorkshopModeAt = async (dir: string | undefined, cwd: string, on: boolean): Promise<{ workspace: string; changed: boolean }> => {
  const workspace = requireWorkspace(dir, cwd);
  const { setWorkshopMode } = await import('./workshop/mode.js');
  return { workspace, changed: await setWorkshopMode(workspace, on) };
};

/** `workshop allow N|all`: opens solutions in the running server of a room folder (its token read from there). */
export const allowWorkshopSolutions = async (dir: string, upTo: SolutionsUpTo): Promise<{ upTo: SolutionsUpTo; url: string }> =>
  (await import('./workshop/allow.js')).allowSolutions(dir, upTo);

/**
 * After a verify of a joined workspace: a line for the learner when the room's server did not take
 * its result (the laptop is off the room's network, or the instructor stopped the server): results
 * wait on the laptop, and builds fetch modules from the learner's usual proxy meanwhile.
 * Undefined when not joined or when the result reached the room.
 */
export const workshopSendNotice = async (workspace: string): Promise<Localized | undefined> => {
  if (!joinedWorkshop(workspace)) return undefined;
  const { lastFlushOf, readWorkshopConfig } = await import('./workshop/client.js');
  const flush = await lastFlushOf(workspace)?.catch(() => undefined);
  if (flush?.stopped !== 'unreachable') return undefined;
  const url = (await readWorkshopConfig(workspace))?.url ?? '';
  return L(
    `The workshop server ${url} does not answer: ${flush.queued} result(s) wait on this laptop and go with a later verify once it answers.`,
    `工作坊服务器 ${url} 没有响应：${flush.queued} 条结果暂存在这台电脑上，等它响应后会随之后的校验一起发送。`,
  );
};

/** The room folder whose server runs in `cwd` or one of its folders (a UserError when several do; undefined when none). */
export const runningRoomHere = async (cwd: string): Promise<string | undefined> => {
  const { roomFoldersIn, pickRoomFolder } = await import('./workshop/allow.js');
  const picked = pickRoomFolder(await roomFoldersIn(cwd));
  if (picked instanceof UserError) throw picked;
  return picked;
};

export const parseSolutionsUpTo = async (typed: string | undefined): Promise<SolutionsUpTo | undefined> =>
  (await import('./workshop/solutions.js')).parseUpToArgument(typed);
