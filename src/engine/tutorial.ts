import { promises as fs } from 'node:fs';
import { basename, join } from 'node:path';
import type { Lang, Localized } from './i18n.js';
import { L } from './i18n.js';
import { UserError } from './errors.js';
import type { CheckDefinition, CheckReport, ProgressEvent } from './checks/types.js';
import { lessonPassed, verifyLesson, type SessionFactoryOptions } from './checks/run.js';
import type { DockerSession } from './docker/session.js';
import { lessonCheckId, type Course, type Lesson } from './lessons/load.js';
import { emptyLessonProgress, loadProgress, saveProgress, type LessonProgress, type Progress } from './progress/progress.js';
import { applySolution, gotoLesson, readSolution, resetLesson } from './workspace/workspace.js';
import type { BackupResult, GotoResult, HintView, LessonSummary, SolutionView, TutorialApi, VerifyResult } from './tutorial-api.js';

export interface TutorialDeps {
  readonly course: Course;
  readonly registry: ReadonlyMap<string, CheckDefinition>;
  readonly workspace: string;
  readonly createSession: (options: SessionFactoryOptions) => DockerSession;
  readonly now?: () => Date;
}

export interface OpenedTutorial {
  readonly api: Tutorial;
  /** A message to show when the progress file had to be recovered. */
  readonly recovered?: Localized;
}

/** Opens a workspace's tutorial: loads (and if needed recovers) progress. */
export const openTutorial = async (deps: TutorialDeps): Promise<OpenedTutorial> => {
  const now = deps.now ?? (() => new Date());
  const first = deps.course.lessons[0]?.meta.id ?? '';
  const loaded = await loadProgress(deps.workspace, first, now());
  if (!loaded) {
    throw new UserError(L(`No progress file in ${deps.workspace}.`, `${deps.workspace} 中没有进度文件。`), {
      next: L('Create a workspace with: npx learn-go-docker init', '先创建工作区：npx learn-go-docker init'),
    });
  }
  if (!deps.course.byId(loaded.progress.current)) loaded.progress.current = first;
  return { api: new Tutorial(deps, loaded.progress, now), recovered: loaded.recovered };
};

/** The engine behind every command and the UI: lessons, workspace files, progress and checks. */
export class Tutorial implements TutorialApi {
  readonly workspaceDir: string;

  constructor(
    private readonly deps: TutorialDeps,
    private progress: Progress,
    private readonly now: () => Date,
  ) {
    this.workspaceDir = deps.workspace;
  }

  get course(): Course {
    return this.deps.course;
  }

  get lang(): Lang | undefined {
    return this.progress.lang;
  }

  lesson(id: string): Lesson {
    const lesson = this.deps.course.byId(id) ?? this.deps.course.lessons.find((l) => String(l.number) === id || basename(l.dir) === id);
    if (!lesson) {
      throw new UserError(L(`There is no lesson "${id}".`, `没有名为 "${id}" 的课程。`), {
        next: L('See the lessons with: npx learn-go-docker list', '查看课程列表：npx learn-go-docker list'),
      });
    }
    return lesson;
  }

  private entry(id: string): LessonProgress {
    return (this.progress.lessons[id] ??= emptyLessonProgress());
  }

  lessons(): readonly LessonSummary[] {
    return this.deps.course.lessons.map((l) => ({
      id: l.meta.id,
      number: l.number,
      chapter: l.meta.chapter,
      chapterTitle: l.chapterTitle,
      title: l.meta.title,
      summary: l.meta.summary,
      status: this.progress.lessons[l.meta.id]?.passed ? 'done' : l.meta.id === this.progress.current ? 'current' : 'pending',
    }));
  }

  currentLessonId(): string {
    return this.progress.current;
  }

  async lessonText(id: string, lang: Lang): Promise<string> {
    return fs.readFile(join(this.lesson(id).dir, `${lang}.md`), 'utf8');
  }

  watchedFiles(id: string): readonly string[] {
    return this.lesson(id).meta.files.map((f) => join(this.workspaceDir, f));
  }

  async goto(id: string): Promise<GotoResult> {
    return gotoLesson(this.workspaceDir, this.deps.course, this.progress, this.lesson(id), this.now());
  }

  async verify(
    id: string,
    options: { signal?: AbortSignal; onProgress?: (event: ProgressEvent) => void; staticOnly?: boolean } = {},
  ): Promise<VerifyResult> {
    const lesson = this.lesson(id);
    const started = Date.now();
    const checks = await verifyLesson({
      lesson,
      workspace: this.workspaceDir,
      registry: this.deps.registry,
      staticOnly: options.staticOnly,
      signal: options.signal,
      onProgress: options.onProgress,
      history: this.progress.firstImageBytes ? { 'image.size': { firstImageBytes: this.progress.firstImageBytes } } : {},
      createSession: this.deps.createSession,
    });
    const passed = lessonPassed(checks);
    const cancelled = options.signal?.aborted ?? false;
    const entry = this.entry(lesson.meta.id);
    if (!options.staticOnly && !cancelled) {
      entry.attempts += 1;
      if (!passed) entry.failures += 1;
      entry.verifyMs += Date.now() - started;
      if (passed && !entry.passed) {
        entry.passed = true;
        entry.passedAt = this.now().toISOString();
      }
      this.recordFirstImage(checks);
    }
    // A cancelled verify measured nothing: keep the previous verdict rather than a list of skips.
    if (cancelled) return { lesson: lesson.meta.id, passed: false, checks, solutionOffered: this.solutionUnlocked(lesson), attempts: entry.attempts };
    entry.lastVerify = { at: this.now().toISOString(), passed, staticOnly: options.staticOnly ?? false, checks: checks as CheckReport[] };
    await saveProgress(this.workspaceDir, this.progress);
    return this.toResult(lesson, entry);
  }

  /**
   * The first image the learner built is the yardstick later lessons compare sizes with: the first
   * size any Docker check measured, whether that check passed or not (an over-budget first image is
   * exactly the point of comparison).
   */
  private recordFirstImage(checks: readonly CheckReport[]): void {
    if (this.progress.firstImageBytes) return;
    const size = checks.find((c) => c.kind === 'docker' && typeof c.measured?.sizeBytes === 'number')?.measured?.sizeBytes;
    if (typeof size === 'number' && size > 0) this.progress.firstImageBytes = size;
  }

  private toResult(lesson: Lesson, entry: LessonProgress): VerifyResult {
    const last = entry.lastVerify;
    return {
      lesson: lesson.meta.id,
      passed: last?.passed ?? false,
      checks: last?.checks ?? [],
      solutionOffered: this.solutionUnlocked(lesson),
      attempts: entry.attempts,
      ...(last?.passed ? { learned: lesson.meta.learned } : {}),
    };
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
    const entry = this.entry(lesson.meta.id);
    const failing = entry.lastVerify?.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id);
    // Before any verify, hint at the checks the start is known to fail.
    const candidates = failing && entry.lastVerify ? failing : lesson.meta.expectedStartFailures;
    const checkId = candidates.find((c) => lesson.meta.hints[c]?.length) ?? (entry.lastVerify ? undefined : lesson.meta.checks.map(lessonCheckId).find((c) => lesson.meta.hints[c]?.length));
    if (!checkId) return undefined;
    const tiers = lesson.meta.hints[checkId] ?? [];
    const level = Math.min((entry.hints[checkId] ?? 0) + 1, tiers.length);
    entry.hints[checkId] = level;
    await saveProgress(this.workspaceDir, this.progress);
    return { checkId, level, of: tiers.length, text: tiers[level - 1] as Localized };
  }

  async reset(id: string): Promise<BackupResult> {
    const lesson = this.lesson(id);
    const result = await resetLesson(this.workspaceDir, this.deps.course, lesson, this.now());
    this.entry(lesson.meta.id).hints = {};
    await saveProgress(this.workspaceDir, this.progress);
    return result;
  }

  async solution(id: string): Promise<SolutionView> {
    const lesson = this.lesson(id);
    if (!this.solutionUnlocked(lesson)) {
      const entry = this.progress.lessons[lesson.meta.id];
      const left = lesson.meta.solution.afterFailures - (entry?.failures ?? 0);
      return {
        available: false,
        reason: L(
          `The solution opens after you pass this lesson, or after ${left} more failed verify${left === 1 ? '' : 's'}. Try a hint first.`,
          `通过本课后即可查看答案，或再失败 ${left} 次校验后开放。先试试提示吧。`,
        ),
        files: [],
      };
    }
    return { available: true, files: await readSolution(this.deps.course, lesson) };
  }

  async applySolution(id: string): Promise<BackupResult> {
    return applySolution(this.workspaceDir, this.deps.course, this.lesson(id), this.now());
  }

  async setLang(lang: Lang): Promise<void> {
    this.progress.lang = lang;
    await saveProgress(this.workspaceDir, this.progress);
  }

  /** Overall progress for the list header and scripts. */
  doneCount(): { done: number; total: number } {
    const lessons = this.deps.course.lessons;
    return { done: lessons.filter((l) => this.progress.lessons[l.meta.id]?.passed).length, total: lessons.length };
  }
}
