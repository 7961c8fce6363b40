import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Localized } from '../i18n.js';
import type { CheckDefinition } from '../checks/types.js';
import type { LessonMeta } from './schema.js';
import { bindChecks, type Course, type Lesson, type LessonCheckRun } from './course.js';
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
    readonly startFiles: readonly string[];
    readonly solutionFiles: readonly string[];
    readonly usesDocker: boolean;
  }[];
  readonly sampleAppFiles: readonly string[];
}

export const compileCourse = (course: Course): CompiledCourse => ({
  format: 1,
  lessons: course.lessons.map((l) => ({
    folder: l.folder,
    meta: l.meta,
    chapterTitle: l.chapterTitle,
    startFiles: l.startFiles,
    solutionFiles: l.solutionFiles,
    usesDocker: l.usesDocker,
  })),
  sampleAppFiles: course.sampleAppFiles,
});

/**
 * The course from its compiled form (`file`) and its packed files (`filesFile`, read on first use);
 * `loadRegistry` is called only when checks are first needed.
 */
export const loadCompiledCourse = async (root: string, file: string, filesFile: string, loadRegistry: () => Promise<ReadonlyMap<string, CheckDefinition>>): Promise<Course> => {
  const compiled = JSON.parse(await readFile(file, 'utf8')) as CompiledCourse;
  const bound = new Map<string, readonly LessonCheckRun[]>();
  const lessons: Lesson[] = compiled.lessons.map((l, index) => {
    const path = `lessons/${l.folder}`;
    const lesson = { meta: l.meta, number: index + 1, folder: l.folder, path, dir: join(root, path), chapterTitle: l.chapterTitle, startFiles: l.startFiles, solutionFiles: l.solutionFiles, usesDocker: l.usesDocker };
    return Object.defineProperty(lesson, 'checks', {
      enumerable: true,
      // Bound on first use, one lesson at a time: a verify binds its own lesson's params, not the
      // course's (they were all validated at build time).
      get: () => {
        let checks = bound.get(l.meta.id);
        if (!checks) {
          if (!registry) throw new Error(`the checks of lesson ${l.meta.id} were not loaded (call course.ensureChecks() first)`);
          checks = bindChecks(l.meta, registry, `${path}/lesson.yaml`);
          bound.set(l.meta.id, checks);
        }
        return checks;
      },
    }) as Lesson;
  });
  const byId = new Map(lessons.map((l) => [l.meta.id, l]));
  const managed = new Set<string>();
  for (const lesson of lessons) for (const f of [...lesson.startFiles, ...lesson.solutionFiles]) managed.add(f);
  let registry: ReadonlyMap<string, CheckDefinition> | undefined;
  let loading: Promise<void> | undefined;
  return {
    lessons,
    files: packedCourseFiles(filesFile),
    sampleAppFiles: compiled.sampleAppFiles,
    managedFiles: [...managed].sort(),
    byId: (id) => byId.get(id),
    ensureChecks: () =>
      (loading ??= loadRegistry().then((loaded) => {
        registry = loaded;
      })),
  };
};
