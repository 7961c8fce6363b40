import { join } from 'node:path';
import type { Lang, Localized } from './i18n.js';
import { L } from './i18n.js';
import { CourseError, LessonMovedError, UserError } from './errors.js';
import type { CheckReport, ProgressEvent } from './checks/types.js';
import type { MeasurementRecord, SessionFactory } from './checks/run.js';
import { lastCourseDiskUse } from './docker/disk-use.js';
import type { CourseDiskUse } from './docker/parse-tidy.js';
import { lessonCheckId, type Course, type Lesson } from './lessons/course.js';
import { teachingLessons } from './lessons/teaches.js';
import { filesFingerprint, sameFiles } from './workspace/fingerprint.js';
import { staleLockLeft, withWorkspaceLock } from './progress/lock.js';
import {
  emptyLessonProgress,
  loadProgress,
  readProgressAsIs,
  saveProgress,
  sweepProgressTemps,
  type LessonProgress,
  type Progress,
} from './progress/progress.js';
import { fileTimestamp } from './util/files.js';
import { backupFiles, differing, startSources } from './workspace/overlay.js';
import { digestRefs, fillForApply, fillForShow, type DigestLookup } from './lessons/digest-pins.js';
import { applySolution, completeInterruptedMove, moveToLesson, readSolution, resetLesson } from './workspace/workspace.js';
import type { BackupResult, GotoResult, HintView, LessonSummary, SolutionView, TutorialApi, VerifyResult } from './tutorial-api.js';

export interface TutorialDeps {
  readonly course: Course;
  readonly workspace: string;
  readonly createSession: SessionFactory;
  /**
   * Starts finding out what Docker offers (one `docker version`, the rest cached per machine) while
   * the checks load, so a verify's first Docker call does not wait for them. Resolves once the
   * question is under way; never rejects.
   */
  readonly warmDocker?: () => Promise<void> | void;
  readonly now?: () => Date;
  /**
   * Told of every recorded verify (not a cancelled, partial or static-only one): the workshop's
   * outbox (a joined workspace only). Awaited but never a reason for the verify to fail.
   */
  readonly afterVerify?: (verified: { lesson: { id: string; number: number }; result: VerifyResult; startedAt?: string }) => Promise<void>;
  /**
   * This engine's digests of base images, for a solution that pins them (lessons/digest-pins.ts);
   * `docker image inspect` when absent.
   */
  readonly baseDigests?: DigestLookup;
}

/** The digests this Docker engine recorded (the driver loads only for a lesson that pins digests). */
export const engineDigests: DigestLookup = async (refs) => (await import('./docker/repo-digests.js')).localDigests(refs);

export interface OpenedTutorial {
  readonly api: Tutorial;
  /** A message to show when the progress file had to be recovered. */
  readonly recovered?: Localized;
}

const noProgress = (workspace: string): UserError =>
  new UserError(L(`No progress file in ${workspace}.`, `${workspace} 中没有进度文件。`), {
    next: L('Create a workspace with: npx learn-go-docker init', '先创建工作区：npx learn-go-docker init'),
  });

/**
 * Reads progress for a change, under the workspace lock, and repairs what it finds first: a corrupt
 * file (kept, last good copy restored), a `goto` a kill interrupted (completed), a `current` lesson
 * the course does not have (reset to lesson 1), and, when progress had to start again from nothing,
 * the learner's files are backed up before anything could overlay them. Notices say what was done.
 */
const loadForChange = async (deps: TutorialDeps, now: Date): Promise<{ progress: Progress; notices: Localized[] }> => {
  const first = deps.course.lessons[0];
  await sweepProgressTemps(deps.workspace);
  const loaded = await loadProgress(deps.workspace, first?.meta.id ?? '', now);
  if (!loaded) throw noProgress(deps.workspace);
  const { progress } = loaded;
  const notices: Localized[] = loaded.recovered ? [loaded.recovered] : [];
  let repaired = false;
  if (loaded.fresh && first) {
    const changed = await differing(deps.workspace, startSources(deps.course, first));
    const backup = await backupFiles(deps.workspace, changed, fileTimestamp(now));
    if (backup.dir) {
      notices.push(
        L(
          `Your files were left as they are, and copied to ${backup.dir}/ before any lesson change could replace them.`,
          `你的文件保持原样，并已复制到 ${backup.dir}/，之后切换课程也不会丢失。`,
        ),
      );
    }
  }
  if (progress.moving) {
    const { to } = progress.moving;
    const backupDir = await completeInterruptedMove(deps.workspace, deps.course, progress, now);
    repaired = true;
    notices.push(
      L(
        `A move to lesson "${to}" was interrupted; it has been completed.${backupDir ? ` Files it replaced are in ${backupDir}/.` : ''}`,
        `上次切换到课程 "${to}" 时被中断，现已完成。${backupDir ? `被替换的文件保存在 ${backupDir}/。` : ''}`,
      ),
    );
  }
  if (first && !deps.course.byId(progress.current)) {
    notices.push(
      L(
        `Your progress names lesson "${progress.current}", which this course does not have; continuing with lesson 1. Your files were not changed.`,
        `进度文件中的当前课程 "${progress.current}" 在本课程中不存在；从第 1 课继续。你的文件没有被改动。`,
      ),
    );
    progress.current = first.meta.id;
    repaired = true;
  }
  if (repaired) await saveProgress(deps.workspace, progress);
  return { progress, notices };
};

/** Opens a workspace's tutorial: loads progress, repairing (and saying so) what needs it. */
export const openTutorial = async (deps: TutorialDeps): Promise<OpenedTutorial> => {
  const now = deps.now ?? (() => new Date());
  // Most opens find progress whole and current: read it without the lock (a lock file written,
  // read back and removed on every command). Anything to repair is done under the lock, and so
  // is clearing a lock a killed command left.
  const [asIs, stale] = await Promise.all([readProgressAsIs(deps.workspace), staleLockLeft(deps.workspace)]);
  if (asIs && !asIs.moving && !stale && deps.course.byId(asIs.current)) return { api: new Tutorial(deps, asIs, now), recovered: undefined };
  const { progress, notices } = await withWorkspaceLock(deps.workspace, () => loadForChange(deps, now()));
  return { api: new Tutorial(deps, progress, now), recovered: notices.length ? joinLocalized(notices) : undefined };
};

const joinLocalized = (parts: readonly Localized[]): Localized => L(parts.map((p) => p.en).join('\n'), parts.map((p) => p['zh-CN']).join('\n'));

/** The engine behind every command and the UI: lessons, workspace files, progress and checks. */
export class Tutorial implements TutorialApi {
  readonly workspaceDir: string;
  /** `--swarm`: the learner agreed that a check may turn swarm mode on, and off after. */
  private swarmInit = false;

  constructor(
    private readonly deps: TutorialDeps,
    private progress: Progress,
    private readonly now: () => Date,
  ) {
    this.workspaceDir = deps.workspace;
  }

  /** Docker clean-ups of verifies that returned before them (settleLater), until they end. */
  private readonly cleanups = new Set<Promise<void>>();

  /** Resolves when every verify's Docker clean-up has ended; rejects with a clean-up's error. */
  async settled(): Promise<void> {
    await Promise.all([...this.cleanups]);
  }

  /**
   * Refuses to act on the lesson this tutorial is on when the workspace has left it: `onDisk` (the
   * progress file as read now) says another command (a second terminal's goto) moved it, so its
   * files are that lesson's. A lesson left during a verify is not this: the verify read the files
   * of its lesson when it started.
   */
  private stayedOn(onDisk: Progress | undefined, lesson: Lesson): void {
    if (!onDisk || lesson.meta.id !== this.progress.current || onDisk.current === this.progress.current) return;
    const now = this.deps.course.byId(onDisk.current);
    if (now) throw new LessonMovedError(now.meta.id, now.number, lesson.number);
  }

  /**
   * Every change to progress: under the workspace lock, read what is on disk now, change it, write
   * it back. Never a save of the copy loaded at start, which another command may have changed since.
   */
  private async update<T>(change: (progress: Progress) => T | Promise<T>): Promise<T> {
    return withWorkspaceLock(this.workspaceDir, async () => {
      const { progress } = await loadForChange(this.deps, this.now());
      const result = await change(progress);
      await saveProgress(this.workspaceDir, progress);
      this.progress = progress;
      return result;
    });
  }

  get course(): Course {
    return this.deps.course;
  }

  get lang(): Lang | undefined {
    return this.progress.lang;
  }

  lesson(id: string): Lesson {
    const lesson = this.deps.course.byId(id) ?? this.deps.course.lessons.find((l) => String(l.number) === id || l.folder === id);
    if (!lesson) {
      throw new UserError(L(`There is no lesson "${id}".`, `没有名为 "${id}" 的课程。`), {
        next: L('See the lessons with: npx learn-go-docker list', '查看课程列表：npx learn-go-docker list'),
      });
    }
    return lesson;
  }

  private static entry(progress: Progress, id: string): LessonProgress {
    return (progress.lessons[id] ??= emptyLessonProgress());
  }

  findLesson(idOrNumber: string): LessonSummary {
    const id = this.lesson(idOrNumber).meta.id;
    return this.lessons().find((l) => l.id === id) as LessonSummary;
  }

  lessons(): readonly LessonSummary[] {
    return this.deps.course.lessons.map((l) => ({
      id: l.meta.id,
      number: l.number,
      chapter: l.meta.chapter,
      chapterTitle: l.chapterTitle,
      part: l.part,
      ...(l.partTitle ? { partTitle: l.partTitle } : {}),
      title: l.meta.title,
      summary: l.meta.summary,
      status: this.progress.lessons[l.meta.id]?.passed ? 'done' : l.meta.id === this.progress.current ? 'current' : 'pending',
    }));
  }

  currentLessonId(): string {
    return this.progress.current;
  }

  async lessonText(id: string, lang: Lang): Promise<string> {
    const lesson = this.lesson(id);
    const file = await this.deps.course.files.read(`${lesson.path}/${lang}.md`);
    if (!file) throw new CourseError(L(`${lesson.path}/${lang}.md is missing from the course.`, `课程中缺少 ${lesson.path}/${lang}.md。`));
    return file.bytes.toString('utf8');
  }

  watchedFiles(id: string): readonly string[] {
    return this.lesson(id).meta.files.map((f) => join(this.workspaceDir, f));
  }

  allowSwarmInit(): void {
    this.swarmInit = true;
  }

  async goto(id: string): Promise<GotoResult> {
    const target = this.lesson(id);
    return this.update((progress) =>
      moveToLesson(this.workspaceDir, this.deps.course, progress, target, this.now(), (journal) => saveProgress(this.workspaceDir, journal)),
    );
  }

  async verify(
    id: string,
    options: {
      signal?: AbortSignal;
      onProgress?: (event: ProgressEvent) => void;
      staticOnly?: boolean;
      /** Swarm mode may be turned on for a check and off after (`verify --swarm`). */
      swarmInit?: boolean;
      onMeasured?: (record: MeasurementRecord) => void;
      /** Only these lesson check ids (proof cases): such a partial run is never recorded as the lesson's verdict. */
      only?: readonly string[];
      /** Each check's report as soon as it is known: static verdicts arrive before the Docker build. */
      onReport?: (report: CheckReport) => void;
      /**
       * Return once the verdict is saved, while Docker still removes the verify's containers (the
       * caller shows the verdict meanwhile and then awaits settled()).
       */
      settleLater?: boolean;
    } = {},
  ): Promise<VerifyResult> {
    const lesson = this.lesson(id);
    this.stayedOn(await readProgressAsIs(this.workspaceDir), lesson);
    const started = Date.now();
    // `docker version` first: it answers while the checks load (a child process on another core).
    if (!options.staticOnly && lesson.usesDocker) await this.deps.warmDocker?.();
    // The check machinery (the analysis, the Docker driver) loads only for a command that verifies.
    const [{ lessonPassed, verifyLesson }] = await Promise.all([
      import('./checks/run.js'),
      this.deps.course.ensureChecks(options.staticOnly ? 'static' : 'all'),
    ]);
    const teach = this.teacher(lesson);
    const onReport = options.onReport;
    // The files as this verify reads them, hashed beside it (not before it: static verdicts come first).
    const filesAtStart = filesFingerprint(this.workspaceDir, this.deps.course).catch(() => undefined);
    const { checks: reports, blocking } = await verifyLesson({
      lesson,
      workspace: this.workspaceDir,
      staticOnly: options.staticOnly,
      ...(options.swarmInit || this.swarmInit ? { swarmInit: true } : {}),
      only: options.only,
      onReport: onReport && ((report) => onReport(teach(report))),
      signal: options.signal,
      onProgress: options.onProgress,
      history: this.progress.firstImageBytes ? { 'image.size': { firstImageBytes: this.progress.firstImageBytes } } : {},
      createSession: this.deps.createSession,
      onMeasured: options.onMeasured,
      onCleanup: (done) => {
        const tracked = done.finally(() => this.cleanups.delete(tracked));
        tracked.catch(() => undefined); // reported to whoever awaits settled(), never unhandled
        this.cleanups.add(tracked);
      },
    });
    if (!options.settleLater) await this.settled();
    const checks = reports.map(teach);
    const passed = lessonPassed(checks);
    const cancelled = options.signal?.aborted ?? false;
    // A cancelled verify measured nothing: keep the previous verdict rather than a list of skips.
    // A partial one (some checks only) is no verdict on the lesson either.
    if (cancelled || options.only) {
      const attempts = this.progress.lessons[lesson.meta.id]?.attempts ?? 0;
      return { lesson: lesson.meta.id, passed: !cancelled && passed, checks, blocking, cancelled, solutionOffered: this.solutionUnlocked(lesson), attempts };
    }
    // A static-only verify of a lesson with no Docker check (and no check that needs the engine)
    // leaves nothing out: it is the whole verify, and counts as one (a pass is the lesson's pass).
    const staticOnly = options.staticOnly === true && (lesson.usesDocker || lesson.checks.some((c) => c.bound.needs.length > 0));
    const verifyMs = Date.now() - started;
    const files = await filesAtStart;
    const entry = await this.update((progress) => {
      const entry = Tutorial.entry(progress, lesson.meta.id);
      if (!staticOnly) {
        // Attempts count versions of the files (progress-shape.ts attemptFiles); unknown files count.
        if (files === undefined || files !== entry.attemptFiles) {
          entry.attempts += 1;
          if (!passed) entry.failures += 1;
          if (files !== undefined) entry.attemptFiles = files;
        }
        entry.verifyMs += verifyMs;
        if (passed && !entry.passed) {
          entry.passed = true;
          entry.passedAt = this.now().toISOString();
        }
        Tutorial.recordFirstImage(progress, checks);
      }
      entry.lastVerify = { at: this.now().toISOString(), passed, staticOnly, checks, blocking, files };
      return entry;
    });
    const result = this.toResult(lesson, entry);
    if (!staticOnly && this.deps.afterVerify) {
      await this.deps.afterVerify({ lesson: { id: lesson.meta.id, number: lesson.number }, result, startedAt: entry.startedAt }).catch(() => undefined);
    }
    return result;
  }

  /**
   * Each report carries the earlier lesson that teaches its check (the capstone's scorecard shows
   * it), and a failure says where to go back to learn it.
   */
  private teacher(lesson: Lesson): (report: CheckReport) => CheckReport {
    if (!lesson.meta.scorecard) return (report) => report;
    const teaches = teachingLessons(this.deps.course, lesson);
    return (report) => {
      const number = teaches[report.id];
      const teacher = number === undefined ? undefined : this.deps.course.lessons.find((l) => l.number === number);
      if (number === undefined || !teacher) return report;
      if (report.status !== 'fail') return { ...report, lesson: number };
      const { title } = teacher.meta;
      const revisit = L(
        `Revisit lesson ${number} (${title.en}): npx learn-go-docker goto ${number}`,
        `复习第 ${number} 课（${title['zh-CN']}）：npx learn-go-docker goto ${number}`,
      );
      return { ...report, lesson: number, message: L(`${report.message.en}\n${revisit.en}`, `${report.message['zh-CN']}\n${revisit['zh-CN']}`) };
    };
  }

  /**
   * The first image the learner built is the yardstick later lessons compare sizes with: the first
   * size any Docker check measured, whether that check passed or not (an over-budget first image is
   * exactly the point of comparison).
   */
  private static recordFirstImage(progress: Progress, checks: readonly CheckReport[]): void {
    if (progress.firstImageBytes) return;
    const size = checks.find((c) => c.kind === 'docker' && typeof c.measured?.sizeBytes === 'number')?.measured?.sizeBytes;
    if (typeof size === 'number' && size > 0) progress.firstImageBytes = size;
  }

  private toResult(lesson: Lesson, entry: LessonProgress): VerifyResult {
    const last = entry.lastVerify;
    return {
      lesson: lesson.meta.id,
      passed: last?.passed ?? false,
      checks: last?.checks ?? [],
      blocking: last?.blocking ?? [],
      staticOnly: last?.staticOnly ?? false,
      solutionOffered: this.solutionUnlocked(lesson),
      attempts: entry.attempts,
      ...(last?.passed ? { learned: lesson.meta.learned } : {}),
    };
  }

  async lastVerifyCurrent(id: string): Promise<boolean | undefined> {
    const lesson = this.lesson(id);
    const recorded = this.progress.lessons[lesson.meta.id]?.lastVerify?.files;
    if (recorded === undefined) return undefined;
    return sameFiles(recorded, this.workspaceDir, this.deps.course);
  }

  lastVerify(id: string): VerifyResult | undefined {
    const lesson = this.lesson(id);
    const entry = this.progress.lessons[lesson.meta.id];
    return entry?.lastVerify ? this.toResult(lesson, entry) : undefined;
  }

  private solutionUnlocked(lesson: Lesson): boolean {
    const entry = this.progress.lessons[lesson.meta.id];
    return !!entry && (entry.passed || entry.failures >= lesson.meta.solution.afterFailures);
  }

  async hint(id: string): Promise<HintView | undefined> {
    const lesson = this.lesson(id);
    // The hint names its check by title: the checks' definitions load on demand (compiled course).
    await this.deps.course.ensureChecks();
    const stale = (await this.lastVerifyCurrent(lesson.meta.id)) === false;
    const view = await this.hintOf(lesson);
    return view && stale ? { ...view, stale } : view;
  }

  private async hintOf(lesson: Lesson): Promise<HintView | undefined> {
    return this.update((progress) => {
      const entry = Tutorial.entry(progress, lesson.meta.id);
      const failing = entry.lastVerify?.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id);
      // Before any verify, hint at the checks the start is known to fail.
      const candidates = failing && entry.lastVerify ? failing : lesson.meta.expectedStartFailures;
      // A Dockerfile that does not parse comes before everything else (the other checks skip on it).
      const parse = entry.lastVerify?.checks.find((c) => c.id === 'dockerfile.exists' && c.status === 'fail');
      if (parse && !lesson.meta.hints[parse.id]?.length) return { checkId: parse.id, title: parse.title, level: 1, of: 1, text: parse.message };
      const checkId =
        candidates.find((c) => lesson.meta.hints[c]?.length) ??
        (entry.lastVerify ? undefined : lesson.meta.checks.map(lessonCheckId).find((c) => lesson.meta.hints[c]?.length));
      if (!checkId) {
        // A failure the lesson wrote no hint for (a Dockerfile that does not parse): its own
        // message says what to change, so that is the hint, never "nothing failed".
        const report = entry.lastVerify?.checks.find((c) => c.status === 'fail' || c.status === 'error');
        return report ? { checkId: report.id, title: report.title, level: 1, of: 1, text: report.message } : undefined;
      }
      const tiers = lesson.meta.hints[checkId] ?? [];
      const level = Math.min((entry.hints[checkId] ?? 0) + 1, tiers.length);
      entry.hints[checkId] = level;
      const title = lesson.checks.find((c) => c.id === checkId)?.definition.title ?? L(checkId, checkId);
      return { checkId, title, level, of: tiers.length, text: tiers[level - 1] as Localized };
    });
  }

  async reset(id: string): Promise<BackupResult> {
    const lesson = this.lesson(id);
    return this.update(async (progress) => {
      this.stayedOn(progress, lesson);
      const result = await resetLesson(this.workspaceDir, this.deps.course, lesson, this.now());
      Tutorial.entry(progress, lesson.meta.id).hints = {};
      return result;
    });
  }

  async solution(id: string, options: { readonly openedByInstructor?: boolean; readonly lang?: Lang } = {}): Promise<SolutionView> {
    const lesson = this.lesson(id);
    if (!options.openedByInstructor && !this.solutionUnlocked(lesson)) {
      const entry = this.progress.lessons[lesson.meta.id];
      const left = lesson.meta.solution.afterFailures - (entry?.failures ?? 0);
      return {
        available: false,
        reason: L(
          `The solution opens after you pass this lesson, or after ${left} more failed ${left === 1 ? 'verify' : 'verifies'}. Try a hint first.`,
          `通过本课后即可查看答案，或再失败 ${left} 次校验后开放。先试试提示吧。`,
        ),
        files: [],
      };
    }
    const pins = await this.solutionDigests(lesson);
    const lang = options.lang ?? this.progress.lang ?? 'en';
    return { available: true, files: await readSolution(this.deps.course, lesson, pins && ((text) => fillForShow(text, pins.digests, lang))) };
  }

  async applySolution(id: string): Promise<BackupResult> {
    const lesson = this.lesson(id);
    // Asked before the lock: a missing digest refuses the whole apply before a file is written.
    const pins = await this.solutionDigests(lesson);
    const fill = pins && ((text: string) => fillForApply(text, pins.digests));
    if (fill) pins.texts.forEach(fill);
    return this.update((progress) => {
      this.stayedOn(progress, lesson);
      return applySolution(this.workspaceDir, this.deps.course, lesson, this.now(), fill);
    });
  }

  /** The solution's texts and this engine's digests of the images they pin; undefined (nothing asked) when they pin none. */
  private async solutionDigests(lesson: Lesson): Promise<{ texts: string[]; digests: ReadonlyMap<string, string> } | undefined> {
    const texts = await Promise.all(
      lesson.solutionFiles.map(async (rel) => (await this.deps.course.files.read(`${lesson.path}/solution/${rel}`))?.bytes.toString('utf8') ?? ''),
    );
    const refs = [...new Set(texts.flatMap(digestRefs))];
    return refs.length ? { texts, digests: await (this.deps.baseDigests ?? engineDigests)(refs) } : undefined;
  }

  async setLang(lang: Lang): Promise<void> {
    await this.update((progress) => {
      progress.lang = lang;
    });
  }

  dockerDiskUse(): Promise<CourseDiskUse | undefined> {
    return lastCourseDiskUse();
  }

  /** Overall progress for the list header and scripts. */
  doneCount(): { done: number; total: number } {
    const lessons = this.deps.course.lessons;
    return { done: lessons.filter((l) => this.progress.lessons[l.meta.id]?.passed).length, total: lessons.length };
  }
}
