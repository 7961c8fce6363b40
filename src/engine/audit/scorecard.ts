import { L } from '../i18n.js';
import type { CheckDefinition } from '../checks/types.js';
import { bindChecks, type Course, type Lesson } from '../lessons/course.js';
import type { LessonCheck, LessonMeta } from '../lessons/schema.js';

/** One line of the production scorecard: a check of the course, its params, and the lesson that teaches it. */
export interface ScorecardItem extends LessonCheck {
  /** Id of the lesson that teaches it (its number comes from the course). */
  readonly teaches: string;
}

/** What the scorecard is run against, found in the repository or given as flags. */
export interface ScorecardPlan {
  /** A Go repository (go.mod or go.work): the Go-only items (modules before source) apply. */
  readonly go: boolean;
  /** The app's container port: --port, else the final stage's EXPOSE. */
  readonly port?: number;
  /** A path that answers 200 when the app is up: --path, else the HEALTHCHECK's URL. */
  readonly healthPath?: string;
  /** Key and credentials files of the repository, which .dockerignore must keep out of the context. */
  readonly secretFiles: readonly string[];
}

/**
 * The image budget for an arbitrary service. The capstone's 20 MB is the sample app's; a service
 * with more dependencies has a bigger binary, and what the scorecard must catch is a base or a
 * build stage shipped with it (a golang or debian base is 100 MB and more).
 */
export const AUDIT_MAX_MB = 30;

/** Id of the item that needs a health path; reported as unknown when none is known. */
export const HEALTH_PROBE_ID = 'http.probe#health';

/**
 * The production scorecard parts 1 and 2 teach, in the course's order, as data. Each is a check the
 * lessons already run (same rule, same words); only image.secret-traces is audit's own, since a
 * lesson knows its secret's value and an arbitrary repository does not.
 */
export const scorecardItems = (plan: ScorecardPlan): ScorecardItem[] => [
  { check: 'image.builds', params: {}, teaches: 'first-image' },
  { check: 'dockerfile.base-pinned', params: {}, teaches: 'first-image' },
  ...(plan.go ? [{ check: 'dockerfile.deps-before-source', params: {}, teaches: 'layers-and-cache' }] : []),
  { check: 'build.cache-reuse', params: {}, teaches: 'layers-and-cache' },
  { check: 'dockerignore.excludes', params: { patterns: ['.git', ...plan.secretFiles] }, teaches: 'layers-and-cache' },
  { check: 'image.size', params: { maxMB: AUDIT_MAX_MB, chart: true }, teaches: 'multi-stage' },
  // Static, not "stripped" too: a symbol table is a size matter, and image.size judges the size.
  { check: 'binary.static', params: {}, teaches: 'static-binaries' },
  ...(plan.port !== undefined && plan.healthPath !== undefined
    ? [{ check: 'http.probe', id: HEALTH_PROBE_ID, params: { path: plan.healthPath, port: plan.port }, teaches: 'ports-and-bind-address' }]
    : []),
  { check: 'dockerfile.user', params: {}, teaches: 'non-root-user' },
  { check: 'image.user', params: { numeric: true }, teaches: 'non-root-user' },
  { check: 'container.user', params: {}, teaches: 'non-root-user' },
  { check: 'dockerfile.healthcheck', params: {}, teaches: 'health-checks' },
  { check: 'container.healthy', params: {}, teaches: 'health-checks' },
  { check: 'dockerfile.exec-form', params: {}, teaches: 'signals-and-shutdown' },
  { check: 'container.stop', params: {}, teaches: 'signals-and-shutdown' },
  {
    check: 'image.labels',
    params: { keys: ['org.opencontainers.image.source', 'org.opencontainers.image.version'] },
    teaches: 'reusable-dockerfiles',
  },
  { check: 'dockerfile.no-secrets', params: {}, teaches: 'secrets' },
  { check: 'image.secret-traces', params: {}, teaches: 'secrets' },
];

/** The scorecard as a lesson the runner can verify: checks bound once, numbered after the course. */
export const scorecardLesson = (
  course: Course,
  registry: ReadonlyMap<string, CheckDefinition>,
  items: readonly ScorecardItem[],
  dockerfile: string,
): Lesson => {
  const meta: LessonMeta = {
    format: 1,
    id: 'audit',
    chapter: 'audit',
    title: L('Production scorecard', '生产评分卡'),
    files: [dockerfile],
    dockerfile,
    requires: [],
    checks: items.map(({ teaches: _teaches, ...check }) => check),
    expectedStartFailures: [],
    hints: {},
    solution: { afterFailures: 3 },
    learned: L('The scorecard of the course, on your own service.', '课程的评分卡，用在你自己的服务上。'),
    scorecard: true,
  };
  return {
    meta,
    number: course.lessons.length + 1,
    folder: 'audit',
    path: 'audit',
    dir: '',
    chapterTitle: meta.title,
    part: 1,
    startFiles: [],
    solutionFiles: [],
    usesDocker: true,
    checks: bindChecks(meta, registry, 'audit scorecard'),
  };
};
