// Build step (scripts/build.mjs): validates the course against the check registry and writes
// dist/course.json, the form the installed CLI starts from.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkRegistry } from '../checks/registry.js';
import { compileCourse } from './compiled.js';
import { loadCourse } from './load.js';

const root = process.argv[2] ?? process.cwd();
const course = await loadCourse(root, checkRegistry());
await mkdir(join(root, 'dist'), { recursive: true });
await writeFile(join(root, 'dist', 'course.json'), JSON.stringify(compileCourse(course)));
process.stdout.write(`compiled ${course.lessons.length} lessons into dist/course.json\n`);
