import type { Localized } from '../i18n.js';
import type { Course } from '../lessons/course.js';
import type { Progress } from '../progress/progress-shape.js';

/** The `report --json` schema's name and version (docs/ARCHITECTURE.md, "Report"): a change that breaks it bumps the version. */
export const REPORT_SCHEMA = 'learn-go-docker/report';
export const REPORT_SCHEMA_VERSION = 1;

export interface ReportLesson {
  readonly number: number;
  readonly id: string;
  readonly title: Localized;
  readonly passed: boolean;
  readonly passedAt: string | null;
  /** Full verifies run, and how many of them failed. */
  readonly attempts: number;
  readonly failures: number;
  /** Hint tiers read, summed over the lesson's checks. */
  readonly hints: number;
  /** Minutes from the first visit to the pass (null when not passed or not known). */
  readonly minutes: number | null;
  /** Seconds spent in verifies (building, running, probing). */
  readonly verifySeconds: number;
}

export interface ReportScorecardItem {
  readonly id: string;
  readonly title: Localized;
  readonly status: string;
  /** The lesson that teaches it. */
  readonly lesson: number | null;
}

/** A learner's own summary of the course, from their workspace's progress: to keep or hand in. */
export interface LearnerReport {
  readonly schema: typeof REPORT_SCHEMA;
  readonly version: typeof REPORT_SCHEMA_VERSION;
  readonly tool: string;
  /** Who the report is about: --name, else the account name. */
  readonly learner: string;
  readonly generatedAt: string;
  readonly workspaceCreatedAt: string;
  /** The lesson the learner is on. */
  readonly current: { readonly number: number; readonly id: string } | null;
  readonly summary: {
    readonly passed: number;
    readonly lessons: number;
    readonly attempts: number;
    readonly verifySeconds: number;
  };
  /** The learner's first image, and the last one the capstone (or the latest lesson that measured it) built. */
  readonly firstImageBytes: number | null;
  readonly finalImageBytes: number | null;
  /** The capstone's last full verify: each item with its verdict and the lesson that teaches it. */
  readonly capstone: { readonly passed: boolean; readonly at: string; readonly items: readonly ReportScorecardItem[] } | null;
  readonly lessons: readonly ReportLesson[];
}

const minutesBetween = (from: string | undefined, to: string | undefined): number | null => {
  const a = from ? Date.parse(from) : NaN;
  const b = to ? Date.parse(to) : NaN;
  return Number.isFinite(a) && Number.isFinite(b) && b >= a ? Math.round((b - a) / 60_000) : null;
};

/** The size of the last image a full verify built, latest lesson first (the capstone's when it ran). */
const lastImageBytes = (course: Course, progress: Progress): number | null => {
  for (const lesson of [...course.lessons].reverse()) {
    const last = progress.lessons[lesson.meta.id]?.lastVerify;
    if (!last || last.staticOnly) continue;
    // image.size measures it where a lesson judges the size; image.builds records it on every build.
    for (const id of ['image.size', 'image.builds']) {
      const size = last.checks.find((c) => c.id === id)?.measured?.sizeBytes;
      if (typeof size === 'number') return size;
    }
  }
  return null;
};

/** Builds the report from the course and the progress file as it is (nothing is written). Pure. */
export const learnerReport = (course: Course, progress: Progress, options: { learner: string; now: Date; tool: string }): LearnerReport => {
  const lessons = course.lessons.map((lesson): ReportLesson => {
    const entry = progress.lessons[lesson.meta.id];
    return {
      number: lesson.number,
      id: lesson.meta.id,
      title: lesson.meta.title,
      passed: entry?.passed ?? false,
      passedAt: entry?.passedAt ?? null,
      attempts: entry?.attempts ?? 0,
      failures: entry?.failures ?? 0,
      hints: Object.values(entry?.hints ?? {}).reduce((n, tier) => n + tier, 0),
      minutes: entry?.passed ? minutesBetween(entry.startedAt, entry.passedAt) : null,
      verifySeconds: Math.round((entry?.verifyMs ?? 0) / 1000),
    };
  });
  const current = course.byId(progress.current);
  const scorecard = course.lessons.find((l) => l.meta.scorecard);
  const last = scorecard ? progress.lessons[scorecard.meta.id]?.lastVerify : undefined;
  return {
    schema: REPORT_SCHEMA,
    version: REPORT_SCHEMA_VERSION,
    tool: options.tool,
    learner: options.learner,
    generatedAt: options.now.toISOString(),
    workspaceCreatedAt: progress.createdAt,
    current: current ? { number: current.number, id: current.meta.id } : null,
    summary: {
      passed: lessons.filter((l) => l.passed).length,
      lessons: lessons.length,
      attempts: lessons.reduce((n, l) => n + l.attempts, 0),
      // From the milliseconds, not the rounded seconds of each lesson.
      verifySeconds: Math.round(Object.values(progress.lessons).reduce((n, e) => n + e.verifyMs, 0) / 1000),
    },
    firstImageBytes: progress.firstImageBytes ?? null,
    finalImageBytes: lastImageBytes(course, progress),
    capstone:
      last && !last.staticOnly
        ? {
            passed: last.passed,
            at: last.at,
            items: last.checks.map((c) => ({ id: c.id, title: c.title, status: c.status, lesson: c.lesson ?? null })),
          }
        : null,
    lessons,
  };
};
