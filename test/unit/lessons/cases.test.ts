import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCases } from '../../../src/engine/lessons/cases.js';
import type { Lesson } from '../../../src/engine/lessons/course.js';

// A proof case an author gets wrong is named, file and reason, never a bare parser error.
describe('loadCases', async () => {
  const root = await mkdtemp(join(tmpdir(), 'lgd-cases-'));
  afterAll(() => rm(root, { recursive: true, force: true }));
  const lessonWith = async (caseYaml: string): Promise<Lesson> => {
    const dir = await mkdtemp(join(root, 'lesson-'));
    await mkdir(join(dir, 'cases', 'one', 'files'), { recursive: true });
    await writeFile(join(dir, 'cases', 'one', 'case.yaml'), caseYaml);
    await writeFile(join(dir, 'cases', 'one', 'files', 'Dockerfile'), 'FROM scratch\n');
    return { dir, path: 'lessons/99-x', meta: { id: 'x' }, checks: [{ id: 'image.builds' }] } as unknown as Lesson;
  };

  it('names the file and where its YAML breaks', async () => {
    const lesson = await lessonWith('expect: pass\nwhy: a colon: inside a plain scalar: breaks it\n');
    await expect(loadCases(lesson)).rejects.toThrow(/^Malformed proof case lessons\/99-x\/cases\/one\/case\.yaml: not valid YAML: /);
  });
  it('loads a valid case', async () => {
    const lesson = await lessonWith('expect: fail\nfailing: [image.builds]\nwhy: >-\n  a reason: with a colon\n');
    expect((await loadCases(lesson)).map((c) => [c.name, c.expect])).toEqual([['one', 'fail']]);
  });
});
