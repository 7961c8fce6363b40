import { L, type Localized } from '../i18n.js';
import { CourseError } from '../errors.js';
import type { BoundCheck, CheckDefinition } from '../checks/types.js';
import type { LessonCheck, LessonMeta } from './schema.js';
import type { CourseFiles } from './course-files.js';

// The course as every command sees it, and the binding of lessons' checks: no YAML parser or schema
// library here, so the compiled course of the installed CLI loads without them.

export interface Lesson {
  readonly meta: LessonMeta;
  /** 1-based position in the course. */
  readonly number: number;
  /** Its folder's name, e.g. "04-multi-stage". */
  readonly folder: string;
  /** Its folder in the package, e.g. "lessons/04-multi-stage": course files are read by this path. */
  readonly path: string;
  /** Absolute folder of the lesson: there on disk only in a source checkout (authoring tools). */
  readonly dir: string;
  readonly chapterTitle: Localized;
  /** The part of the course (1-based) and its title, when the course has parts. */
  readonly part: number;
  readonly partTitle?: Localized;
  /** Workspace-relative files of the start/ and solution/ overlays. */
  readonly startFiles: readonly string[];
  readonly solutionFiles: readonly string[];
  /** Whether any of its checks needs Docker (known without binding the checks: compiled at build time). */
  readonly usesDocker: boolean;
  /** The lesson's checks in order, their params validated and bound once at load. */
  readonly checks: readonly LessonCheckRun[];
}

export interface LessonCheckRun {
  /** Id in the lesson (the registry id, or the check's own `id`). */
  readonly id: string;
  readonly definition: CheckDefinition;
  readonly bound: BoundCheck;
}

/** The checks a command needs: all of them, or the static ones (a static-only verify). */
export type CheckScope = 'all' | 'static';

export interface Course {
  readonly lessons: readonly Lesson[];
  /**
   * Loads the check registry when the course was loaded without it (the compiled course of a
   * command that runs no check); each lesson's `checks` are then bound on first use. With
   * 'static', only the static checks load: the Docker checks of a lesson are then bound by
   * their id and title, to be reported as not run, and cannot measure.
   */
  ensureChecks(scope?: CheckScope): Promise<void>;
  /** Lesson texts, overlays and the sample app, read by their path in the package. */
  readonly files: CourseFiles;
  /** The sample app's files, relative to sample-app/. */
  readonly sampleAppFiles: readonly string[];
  /** Every path any lesson overlay touches: these are the files `goto` manages. */
  readonly managedFiles: readonly string[];
  byId(id: string): Lesson | undefined;
}

/** Lesson check id (`id` or, by default, the registry id). */
export const lessonCheckId = (check: LessonCheck): string => check.id ?? check.check;

export const malformed = (path: string, field: string, problem: string): CourseError =>
  new CourseError(L(`Malformed lesson file ${path}: ${field}: ${problem}`, `课程文件格式错误 ${path}：${field}：${problem}`));

export const fieldPath = (path: readonly PropertyKey[]): string =>
  path.length === 0 ? '(top level)' : path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');


/** A params error from a check's schema (a SchemaError), told apart without loading the schema library. */
const isSchemaError = (error: unknown): error is { issues: { path: readonly PropertyKey[]; message: string }[] } =>
  typeof error === 'object' && error !== null && Array.isArray((error as { issues?: unknown }).issues);

export const bindChecks = (meta: LessonMeta, registry: ReadonlyMap<string, CheckDefinition>, shown: string): LessonCheckRun[] => {
  const ids = new Set<string>();
  const checks: LessonCheckRun[] = [];
  for (const [i, check] of meta.checks.entries()) {
    const definition = registry.get(check.check);
    if (!definition) throw malformed(shown, `checks[${i}].check`, `unknown check id "${check.check}"`);
    const id = lessonCheckId(check);
    if (ids.has(id)) throw malformed(shown, `checks[${i}].id`, `duplicate check id "${id}" (give one an "id")`);
    ids.add(id);
    let bound: BoundCheck;
    try {
      bound = definition.bind(check.params);
    } catch (error) {
      if (!isSchemaError(error)) throw error;
      const issue = error.issues[0];
      throw malformed(shown, `checks[${i}].params${issue && issue.path.length ? '.' + fieldPath(issue.path) : ''}`, issue?.message ?? 'invalid');
    }
    for (const need of bound.needs) {
      if (!meta.requires.includes(need)) throw malformed(shown, 'requires', `check "${id}" needs "${need}"; add it to requires`);
    }
    checks.push({ id, definition, bound });
  }
  for (const [i, id] of meta.expectedStartFailures.entries()) {
    if (!ids.has(id)) throw malformed(shown, `expectedStartFailures[${i}]`, `"${id}" is not a check of this lesson`);
  }
  for (const key of Object.keys(meta.hints)) {
    if (!ids.has(key)) throw malformed(shown, `hints.${key}`, `"${key}" is not a check of this lesson`);
  }
  if (!meta.files.length) throw malformed(shown, 'files', 'empty');
  return checks;
};
