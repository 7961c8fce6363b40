import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckReport, ProgressEvent } from '../checks/types.js';
import { UserError } from '../errors.js';
import { L } from '../i18n.js';
import type { MeasurementRecord, SessionFactory } from '../checks/run.js';
import type { Course } from '../lessons/load.js';
import type { DigestLookup } from '../lessons/digest-pins.js';
import { openTutorial } from '../tutorial.js';
import { createWorkspace } from '../workspace/workspace.js';

export interface LessonCheckResult {
  readonly lesson: string;
  /** Start: failing ids as measured vs as declared. */
  readonly startFailing: readonly string[];
  readonly expectedFailing: readonly string[];
  readonly startOk: boolean;
  /** Solution: every check passed. */
  readonly solutionOk: boolean;
  readonly start: readonly CheckReport[];
  readonly solution: readonly CheckReport[];
  readonly seconds: number;
}

export interface DevCheckOptions {
  readonly course: Course;
  readonly createSession: SessionFactory;
  /** This engine's digests of base images (a solution that pins them); `docker image inspect` when absent. */
  readonly baseDigests?: DigestLookup;
  /** Only these lessons (ids); all when empty. */
  readonly only?: readonly string[];
  /** One workspace for the whole course, each solution applied on top of the previous lesson's. */
  readonly chain?: boolean;
  readonly staticOnly?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (lesson: string, event: ProgressEvent) => void;
  readonly onLesson?: (result: LessonCheckResult) => void;
  /** Each Docker check's measurement, for recording the judges' unit-test fixtures. */
  readonly onMeasured?: (lesson: string, state: 'start' | 'solution', record: MeasurementRecord) => void;
}

/** The lessons named by id, number or folder name (all when none); an unknown name is an error, never "0 checked". */
export const selectLessons = (course: Course, names: readonly string[]): Course['lessons'] => {
  if (!names.length) return course.lessons;
  const pick = (name: string) => course.lessons.find((l) => l.meta.id === name || String(l.number) === name || l.folder === name);
  const unknown = names.filter((name) => !pick(name));
  if (unknown.length) {
    throw new UserError(L(`No lesson named ${unknown.join(', ')}.`, `没有名为 ${unknown.join('、')} 的课程。`), {
      next: L(
        'Name lessons by id, number or folder (npx learn-go-docker list shows them).',
        '请用课程 id、编号或文件夹名指定课程（npx learn-go-docker list 可以查看）。',
      ),
    });
  }
  return course.lessons.filter((l) => names.some((name) => pick(name) === l));
};

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/**
 * The curriculum's honesty test (rustlings' `dev check`): every lesson's start fails with exactly
 * the checks it declares, and its solution passes every check, through the same verify as learners.
 */
export const checkLessons = async (options: DevCheckOptions): Promise<LessonCheckResult[]> => {
  const lessons = selectLessons(options.course, options.only ?? []);
  const results: LessonCheckResult[] = [];
  const root = await mkdtemp(join(tmpdir(), 'learn-go-docker-dev-check-'));
  try {
    let chainWorkspace: string | undefined;
    for (const lesson of lessons) {
      const started = Date.now();
      let workspace = chainWorkspace;
      if (!workspace) {
        workspace = join(root, options.chain ? 'course' : lesson.meta.id);
        await createWorkspace(workspace, options.course, new Date());
        if (options.chain) chainWorkspace = workspace;
      }
      const { api } = await openTutorial({ course: options.course, workspace, createSession: options.createSession, baseDigests: options.baseDigests });
      await api.goto(lesson.meta.id);
      const verifyOptions = {
        staticOnly: options.staticOnly,
        // An author's proof run: a Swarm lesson's check may turn swarm mode on, and off after.
        swarmInit: true,
        signal: options.signal,
        onProgress: (event: ProgressEvent) => options.onProgress?.(lesson.meta.id, event),
      };
      const recorder = (state: 'start' | 'solution') => (record: MeasurementRecord) => options.onMeasured?.(lesson.meta.id, state, record);
      const start = await api.verify(lesson.meta.id, { ...verifyOptions, onMeasured: recorder('start') });
      await api.applySolution(lesson.meta.id);
      const solution = await api.verify(lesson.meta.id, { ...verifyOptions, onMeasured: recorder('solution') });
      const startFailing = start.checks.filter((c) => c.status === 'fail').map((c) => c.id);
      // With --static-only, Docker checks are skipped: compare only what could run.
      const ran = new Set(start.checks.filter((c) => c.status !== 'skip' || !options.staticOnly).map((c) => c.id));
      const expectedFailing = lesson.meta.expectedStartFailures.filter((id) => ran.has(id));
      const result: LessonCheckResult = {
        lesson: lesson.meta.id,
        startFailing,
        expectedFailing,
        startOk: sameSet(startFailing, expectedFailing) && start.checks.every((c) => c.status !== 'error'),
        solutionOk: solution.checks.every(
          (c) => c.status === 'pass' || c.status === 'unknown' || (options.staticOnly && c.status === 'skip' && c.kind === 'docker'),
        ),
        start: start.checks,
        solution: solution.checks,
        seconds: (Date.now() - started) / 1000,
      };
      results.push(result);
      options.onLesson?.(result);
      if (options.signal?.aborted) break;
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return results;
};
