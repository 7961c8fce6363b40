import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Localized } from '../i18n.js';
import type { BoundCheck, CheckDefinition } from '../checks/types.js';
import type { LessonMeta } from './schema.js';
import { bindChecks, type CheckScope, type Course, type Lesson, type LessonCheckRun } from './course.js';
import { packedCourseFiles } from './course-files.js';

/**
 * The course compiled at build time (`dist/course.json`): every lesson.yaml already parsed and
 * validated, with defaults applied, and the overlay file lists. Commands start from it without the
 * YAML parser, the schema library or the check registry; a command that runs checks loads the
 * registry (`course.ensureChecks()`), and a lesson's params are bound (validated once more) when
 * its checks are first used.
 */
export interface CompiledCourse {
  readonly format: 1;
  readonly lessons: readonly {
    readonly folder: string;
    readonly meta: LessonMeta;
    readonly chapterTitle: Localized;
    readonly part: number;
    readonly partTitle?: Localized;
    readonly startFiles: readonly string[];
    readonly solutionFiles: readonly string[];
    readonly usesDocker: boolean;
  }[];
  readonly sampleAppFiles: readonly string[];
  /** The title of every Docker check the lessons name: a static-only verify reports them without loading them. */
  readonly dockerCheckTitles: Readonly<Record<string, Localized>>;
}

export const compileCourse = (course: Course): CompiledCourse => ({
  format: 1,
  lessons: course.lessons.map((l) => ({
    folder: l.folder,
    meta: l.meta,
    chapterTitle: l.chapterTitle,
    part: l.part,
    ...(l.partTitle ? { partTitle: l.partTitle } : {}),
    startFiles: l.startFiles,
    solutionFiles: l.solutionFiles,
    usesDocker: l.usesDocker,
  })),
  sampleAppFiles: course.sampleAppFiles,
  dockerCheckTitles: Object.fromEntries(
    course.lessons.flatMap((l) => l.checks.filter((c) => c.definition.kind === 'docker').map((c) => [c.definition.id, c.definition.title] as const)),
  ),
});

/** Loads the check registry: every check, or only the static ones. */
export type RegistryLoader = (scope: CheckScope) => Promise<ReadonlyMap<string, CheckDefinition>>;

/**
 * A Docker check known by its id and title only (a static-only verify reports it as not run).
 * Its params were validated when the course was compiled; it cannot measure.
 */
const dockerCheckByTitle = (id: string, title: Localized): CheckDefinition => {
  const notLoaded = (): never => {
    throw new Error(`the Docker check ${id} was not loaded (the course was opened for static checks only)`);
  };
  const bound: BoundCheck = { kind: 'docker', needs: [], buildsLessonImage: false, measure: notLoaded, judge: notLoaded };
  return { id, kind: 'docker', title, bind: () => bound };
};

/**
 * The course from its compiled form (`file`) and its packed files (`filesFile`, read on first use);
 * `loadRegistry` is called only when checks are first needed, for the scope they are needed in.
 */
export const loadCompiledCourse = async (root: string, file: string, filesFile: string, loadRegistry: RegistryLoader): Promise<Course> => {
  const compiled = JSON.parse(await readFile(file, 'utf8')) as CompiledCourse;
  const bound = new Map<string, readonly LessonCheckRun[]>();
  const boundStatic = new Map<string, readonly LessonCheckRun[]>();
  const lessons: Lesson[] = compiled.lessons.map((l, index) => {
    const path = `lessons/${l.folder}`;
    const lesson = { meta: l.meta, number: index + 1, folder: l.folder, path, dir: join(root, path), chapterTitle: l.chapterTitle, part: l.part, ...(l.partTitle ? { partTitle: l.partTitle } : {}), startFiles: l.startFiles, solutionFiles: l.solutionFiles, usesDocker: l.usesDocker };
    return Object.defineProperty(lesson, 'checks', {
      enumerable: true,
      // Bound on first use, one lesson at a time: a verify binds its own lesson's params, not the
      // course's (they were all validated at build time).
      get: () => {
        const ready = registry ? bound : boundStatic;
        let checks = ready.get(l.meta.id);
        if (!checks) {
          const from = registry ?? (staticRegistry && withDockerTitles(staticRegistry));
          if (!from) throw new Error(`the checks of lesson ${l.meta.id} were not loaded (call course.ensureChecks() first)`);
          checks = bindChecks(l.meta, from, `${path}/lesson.yaml`);
          ready.set(l.meta.id, checks);
        }
        return checks;
      },
    }) as Lesson;
  });
  const byId = new Map(lessons.map((l) => [l.meta.id, l]));
  const managed = new Set<string>();
  for (const lesson of lessons) for (const f of [...lesson.startFiles, ...lesson.solutionFiles]) managed.add(f);
  let registry: ReadonlyMap<string, CheckDefinition> | undefined;
  let staticRegistry: ReadonlyMap<string, CheckDefinition> | undefined;
  let loading: Promise<void> | undefined;
  let loadingStatic: Promise<void> | undefined;
  const titles = compiled.dockerCheckTitles;
  const withDockerTitles = (checks: ReadonlyMap<string, CheckDefinition>): ReadonlyMap<string, CheckDefinition> =>
    new Map([...Object.entries(titles).map(([id, title]) => [id, dockerCheckByTitle(id, title)] as const), ...checks]);
  return {
    lessons,
    files: packedCourseFiles(filesFile),
    sampleAppFiles: compiled.sampleAppFiles,
    managedFiles: [...managed].sort(),
    byId: (id) => byId.get(id),
    ensureChecks: (scope = 'all') =>
      scope === 'static'
        ? (loadingStatic ??= loadRegistry('static').then((loaded) => {
            staticRegistry = loaded;
          }))
        : (loading ??= loadRegistry('all').then((loaded) => {
            registry = loaded;
          })),
  };
};
