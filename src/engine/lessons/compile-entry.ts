// Build step (scripts/build.mjs): validates the course against the check registry and writes
// dist/course.json, the form the installed CLI starts from, and dist/course-files.json.gz, the files
// it hands to learners (lesson texts, overlays, the sample app; not lesson.yaml, not proof cases).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkRegistry } from '../checks/registry.js';
import { compileCourse } from './compiled.js';
import { packCourseFiles } from './course-files.js';
import { loadCourse } from './load.js';

const root = process.argv[2] ?? process.cwd();
const course = await loadCourse(root, checkRegistry());
await mkdir(join(root, 'dist'), { recursive: true });
await writeFile(join(root, 'dist', 'course.json'), JSON.stringify(compileCourse(course)));
const shipped = (path: string): boolean =>
  path.startsWith('sample-app/') || course.lessons.some((l) => [`${l.path}/en.md`, `${l.path}/zh-CN.md`].includes(path) || path.startsWith(`${l.path}/start/`) || path.startsWith(`${l.path}/solution/`));
const packed = await packCourseFiles(root, ['sample-app', ...course.lessons.map((l) => l.path)], shipped);
await writeFile(join(root, 'dist', 'course-files.json.gz'), gzipSync(JSON.stringify(packed), { level: 9 }));
process.stdout.write(`compiled ${course.lessons.length} lessons into dist/course.json, ${Object.keys(packed.files).length} files into dist/course-files.json.gz\n`);
