import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRegistry } from '../../../src/engine/checks/registry.js';
import { compileCourse, loadCompiledCourse } from '../../../src/engine/lessons/compiled.js';
import { diskCourseFiles, packCourseFiles, packedCourseFiles } from '../../../src/engine/lessons/course-files.js';
import { loadCourse } from '../../../src/engine/lessons/load.js';
import { listFiles } from '../../../src/engine/util/files.js';
import { packageRoot } from '../../../src/engine/util/package-root.js';
import { contentOf, startSources } from '../../../src/engine/workspace/overlay.js';
import { readSolution, solutionSources } from '../../../src/engine/workspace/workspace.js';

// The installed package reads the course's files from one packed file; a source checkout reads them
// from disk. Both must hand the learner the same bytes and modes for every lesson.
describe('course files, packed and on disk', async () => {
  const root = packageRoot();
  const tmp = await mkdtemp(join(tmpdir(), 'lgd-course-files-'));
  afterAll(() => rm(tmp, { recursive: true, force: true }));
  const course = await loadCourse(root, checkRegistry());
  // Gzipped, as the build writes it.
  const packedFile = join(tmp, 'course-files.json.gz');
  const everything = await packCourseFiles(root, ['sample-app', ...course.lessons.map((l) => l.path)], (path) => !path.includes('/cases/'));
  await writeFile(packedFile, gzipSync(JSON.stringify(everything)));
  const courseFile = join(tmp, 'course.json');
  await writeFile(courseFile, JSON.stringify(compileCourse(course)));
  const compiled = await loadCompiledCourse(root, courseFile, packedFile, async () => checkRegistry());

  it('gives every lesson the same start and solution files, with their modes', async () => {
    let compared = 0;
    for (const lesson of course.lessons) {
      const other = compiled.byId(lesson.meta.id)!;
      for (const [ours, theirs] of [
        [startSources(course, lesson), startSources(compiled, other)],
        [solutionSources(course, lesson), solutionSources(compiled, other)],
      ] as const) {
        expect([...theirs.keys()]).toEqual([...ours.keys()]);
        for (const [rel, source] of ours) {
          expect(await contentOf(theirs.get(rel)!), `${lesson.meta.id}: ${rel}`).toEqual(await contentOf(source));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(150); // 185 today: every managed file of every lesson, start and solution
    const script = await compiled.files.read('lessons/11-signals-and-shutdown/start/docker-entrypoint.sh');
    expect(script?.mode).toBe(0o755);
  });

  it('binds a static-only verify from the static checks alone: Docker checks by their id and title, unable to measure', async () => {
    const scopes: string[] = [];
    const { staticCheckRegistry } = await import('../../../src/engine/checks/static-registry.js');
    const lazy = await loadCompiledCourse(root, courseFile, packedFile, async (scope) => {
      scopes.push(scope);
      return scope === 'static' ? staticCheckRegistry() : checkRegistry();
    });
    await lazy.ensureChecks('static');
    const lesson = lazy.byId('multi-stage')!;
    const full = course.byId('multi-stage')!;
    expect(scopes).toEqual(['static']);
    expect(lesson.checks.map((c) => [c.id, c.definition.kind, c.definition.title])).toEqual(
      full.checks.map((c) => [c.id, c.definition.kind, c.definition.title]),
    );
    const docker = lesson.checks.find((c) => c.bound.kind === 'docker')!;
    const bound = docker.bound;
    if (bound.kind !== 'docker') throw new Error('expected a Docker check');
    expect(() => bound.measure({} as never)).toThrow(/not loaded/);
    // A full verify later in the same process binds the real Docker checks.
    await lazy.ensureChecks('all');
    expect(scopes).toEqual(['static', 'all']);
    expect(lazy.byId('multi-stage')!.checks.find((c) => c.id === docker.id)?.definition).toBe(checkRegistry().get(docker.definition.id));
  });

  it('lists the sample app and reads lesson texts the same way', async () => {
    const packedSampleApp = Object.keys(everything.files)
      .filter((p) => p.startsWith('sample-app/'))
      .map((p) => p.slice('sample-app/'.length))
      .sort();
    expect(packedSampleApp).toEqual(await listFiles(join(root, 'sample-app')));
    expect(await packedCourseFiles(packedFile).read('sample-app/go.mod')).toEqual(await diskCourseFiles(root).read('sample-app/go.mod'));
    expect(compiled.sampleAppFiles).toEqual(course.sampleAppFiles);
    const text = await compiled.files.read(`${compiled.lessons[0]!.path}/zh-CN.md`);
    expect(text?.bytes.toString('utf8')).toBe(await readFile(join(root, course.lessons[0]!.path, 'zh-CN.md'), 'utf8'));
    expect(await compiled.files.read('lessons/99-none/en.md')).toBeUndefined();
    expect(await readSolution(compiled, compiled.byId('multi-stage')!)).toEqual(await readSolution(course, course.byId('multi-stage')!));
  });

  it('refuses to pack a file that is not UTF-8 text', async () => {
    const dir = join(tmp, 'binary');
    await mkdir(join(dir, 'sample-app'), { recursive: true });
    await writeFile(join(dir, 'sample-app', 'blob'), Buffer.from([0xff, 0xfe, 0x00]));
    await chmod(join(dir, 'sample-app', 'blob'), 0o644);
    await expect(packCourseFiles(dir, ['sample-app'], () => true)).rejects.toThrow('sample-app/blob is not UTF-8 text');
  });
});
