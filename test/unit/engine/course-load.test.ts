import { readFile, writeFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../../../src/engine/lessons/load.js';
import { isUserError } from '../../../src/engine/errors.js';
import { copyCourse, fakeRegistry, FIXTURE_COURSE } from './fakes.js';

const loadError = async (mutate: (root: string) => Promise<void>): Promise<string> => {
  const course = await copyCourse();
  try {
    await mutate(course.root);
    await loadCourse(course.root, fakeRegistry());
    throw new Error('expected the course to be rejected');
  } catch (error) {
    if (!isUserError(error)) throw error;
    return error.localized.en;
  } finally {
    await course.done();
  }
};

const edit = (root: string, from: string, to: string) => async () => {
  const file = join(root, 'lessons/01-one/lesson.yaml');
  await writeFile(file, (await readFile(file, 'utf8')).replace(from, to));
};

describe('loadCourse', () => {
  it('loads lessons in folder order with overlays and managed files', async () => {
    const course = await loadCourse(FIXTURE_COURSE, fakeRegistry());
    expect(course.lessons.map((l) => [l.number, l.meta.id])).toEqual([
      [1, 'one'],
      [2, 'two'],
    ]);
    expect(course.byId('two')?.startFiles).toEqual(['Dockerfile', 'internal/app.go', 'run.sh']);
    expect(course.managedFiles).toEqual(['Dockerfile', 'internal/app.go', 'run.sh']);
    expect(course.lessons[0]?.meta.solution.afterFailures).toBe(2);
    expect(course.lessons[1]?.meta.solution.afterFailures).toBe(3);
  });

  it('names the file and field of an unknown check id', async () => {
    const message = await loadError(async (root) =>
      edit(root, 'check: fake.contains\n    params: { text: "FROM', 'check: fake.nope\n    params: { text: "FROM')(),
    );
    expect(message).toContain('lessons/01-one/lesson.yaml');
    expect(message).toContain('checks[0].check');
    expect(message).toContain('fake.nope');
  });

  it('names the field of bad check params', async () => {
    const message = await loadError(async (root) => edit(root, 'params: { text: "USER 65532" }', 'params: { text: 3 }')());
    expect(message).toContain('checks[1].params.text');
  });

  it('rejects expected failures and hints that name no check of the lesson', async () => {
    expect(await loadError(async (root) => edit(root, 'expectedStartFailures: [fake.contains,', 'expectedStartFailures: [nope,')())).toContain(
      'expectedStartFailures[0]',
    );
    expect(await loadError(async (root) => edit(root, 'hints:\n  fake.contains:', 'hints:\n  nope:')())).toContain('hints.nope');
  });

  it('reports a missing translation, a missing overlay, a YAML syntax error and a missing title language', async () => {
    expect(await loadError((root) => rm(join(root, 'lessons/02-two/zh-CN.md')))).toContain('lessons/02-two/zh-CN.md');
    expect(await loadError((root) => rm(join(root, 'lessons/02-two/start'), { recursive: true }))).toContain('lessons/02-two/start/');
    expect(await loadError(async (root) => edit(root, 'chapter: basics', 'chapter: [basics')())).toMatch(/lesson.yaml: line \d+/);
    expect(await loadError(async (root) => edit(root, 'title: { en: "One", zh-CN: "一" }', 'title: { en: "One" }')())).toContain('title.zh-CN');
  });

  it('rejects an id that does not match its folder and an unknown chapter', async () => {
    expect(await loadError(async (root) => edit(root, 'id: one', 'id: uno')())).toContain('must match the folder name');
    expect(await loadError(async (root) => edit(root, 'chapter: basics', 'chapter: advanced')())).toContain('unknown chapter');
  });

  it('refuses a newer lesson format with an update hint', async () => {
    const course = await copyCourse();
    try {
      await edit(course.root, 'format: 1', 'format: 9')();
      await expect(loadCourse(course.root, fakeRegistry())).rejects.toMatchObject({ next: { en: expect.stringContaining('Update') } });
    } finally {
      await course.done();
    }
  });
});
