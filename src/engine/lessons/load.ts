import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { Schema } from '../util/schema.js';
import { L } from '../i18n.js';
import { UserError } from '../errors.js';
import { listFiles } from '../util/files.js';
import type { CheckDefinition } from '../checks/types.js';
import { bindChecks, fieldPath, malformed, type Course, type Lesson } from './course.js';
import { diskCourseFiles } from './course-files.js';
import { chaptersSchema, lessonSchema, LESSON_FORMAT } from './schema.js';

export type { Course, Lesson, LessonCheckRun } from './course.js';
export { bindChecks, lessonCheckId } from './course.js';

const readYaml = async (file: string, shown: string): Promise<unknown> => {
  const text = await fs.readFile(file, 'utf8');
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const line = error.linePos?.[0]?.line;
      throw malformed(shown, line ? `line ${line}` : 'YAML', error.message.split('\n')[0] ?? 'invalid YAML');
    }
    throw error;
  }
};

const validate = <T>(schema: Schema<T>, data: unknown, shown: string): T => {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw malformed(shown, issue ? fieldPath(issue.path) : '?', issue?.message ?? 'invalid');
};

/**
 * Reads and validates the whole course. Every problem is reported with the file and the field at
 * fault (a UserError), never a stack trace: a course that loads is a course the runner can trust.
 */
export const loadCourse = async (root: string, registry: ReadonlyMap<string, CheckDefinition>): Promise<Course> => {
  const lessonsDir = join(root, 'lessons');
  const chaptersFile = join(lessonsDir, 'chapters.yaml');
  if (!existsSync(chaptersFile)) throw malformed('lessons/chapters.yaml', '(file)', 'missing');
  const chapters = validate(chaptersSchema, await readYaml(chaptersFile, 'lessons/chapters.yaml'), 'lessons/chapters.yaml');
  const folders = (await fs.readdir(lessonsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && /^\d{2}-/.test(e.name))
    .map((e) => e.name)
    .sort();
  const lessons: Lesson[] = [];
  const seen = new Set<string>();
  for (const [index, folder] of folders.entries()) {
    const dir = join(lessonsDir, folder);
    const shown = `lessons/${folder}/lesson.yaml`;
    if (!existsSync(join(dir, 'lesson.yaml'))) throw malformed(shown, '(file)', 'missing');
    const raw = await readYaml(join(dir, 'lesson.yaml'), shown);
    const format = (raw as { format?: unknown } | null)?.format;
    if (typeof format === 'number' && format > LESSON_FORMAT) {
      throw new UserError(
        L(`${shown} uses lesson format ${format}; this learn-go-docker understands ${LESSON_FORMAT}.`, `${shown} 使用课程格式 ${format}，当前 learn-go-docker 只支持 ${LESSON_FORMAT}。`),
        { next: L('Update learn-go-docker: npx learn-go-docker@latest', '请更新 learn-go-docker：npx learn-go-docker@latest') },
      );
    }
    const meta = validate(lessonSchema, raw, shown);
    if (`${folder.slice(3)}` !== meta.id) throw malformed(shown, 'id', `must match the folder name "${folder.slice(3)}"`);
    if (seen.has(meta.id)) throw malformed(shown, 'id', `duplicate lesson id "${meta.id}"`);
    seen.add(meta.id);
    const chapter = chapters.chapters.find((c) => c.id === meta.chapter);
    if (!chapter) throw malformed(shown, 'chapter', `unknown chapter "${meta.chapter}" (see lessons/chapters.yaml)`);
    const part = chapter.part ?? 1;
    const partTitle = chapters.parts?.[part - 1]?.title;
    if (chapters.parts && !partTitle) throw malformed('lessons/chapters.yaml', 'part', `chapter "${chapter.id}" names part ${part}, which is not in parts`);
    const checks = bindChecks(meta, registry, shown);
    for (const lang of ['en', 'zh-CN'] as const) {
      if (!existsSync(join(dir, `${lang}.md`))) throw malformed(`lessons/${folder}/${lang}.md`, '(file)', 'missing');
    }
    // solution/ may be absent: the start files then go back to the sample app's (the fixed) version.
    if (!existsSync(join(dir, 'start'))) throw malformed(`lessons/${folder}/start/`, '(folder)', 'missing');
    lessons.push({
      meta,
      number: index + 1,
      folder,
      path: `lessons/${folder}`,
      dir,
      chapterTitle: chapter.title,
      part,
      ...(partTitle ? { partTitle } : {}),
      startFiles: await listFiles(join(dir, 'start')),
      solutionFiles: await listFiles(join(dir, 'solution')),
      usesDocker: checks.some((c) => c.definition.kind === 'docker'),
      checks,
    });
  }
  if (lessons.length === 0) throw malformed('lessons/', '(folder)', 'no lessons');
  const byId = new Map(lessons.map((l) => [l.meta.id, l]));
  const managed = new Set<string>();
  for (const lesson of lessons) for (const file of [...lesson.startFiles, ...lesson.solutionFiles]) managed.add(file);
  return {
    lessons,
    files: diskCourseFiles(root),
    sampleAppFiles: await listFiles(join(root, 'sample-app')),
    managedFiles: [...managed].sort(),
    byId: (id) => byId.get(id),
    ensureChecks: async () => undefined,
  };
};
