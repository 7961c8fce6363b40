import { readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCourse, type Course } from '../../../src/engine/lessons/load.js';
import { createWorkspace } from '../../../src/engine/workspace/workspace.js';
import { openTutorial, type Tutorial } from '../../../src/engine/tutorial.js';
import { fakeRegistry, FIXTURE_COURSE, noDockerSession, tempDir } from './fakes.js';

let course: Course;
let tmp: { dir: string; done: () => Promise<void> };
let ws: string;
let api: Tutorial;
const read = (rel: string) => readFile(join(ws, rel), 'utf8');

beforeEach(async () => {
  course = await loadCourse(FIXTURE_COURSE, fakeRegistry());
  tmp = await tempDir();
  ws = join(tmp.dir, 'lab');
  await createWorkspace(ws, course, new Date('2026-11-25T10:00:00Z'));
  api = (await openTutorial({ course, workspace: ws, createSession: () => noDockerSession() })).api;
});
afterEach(() => tmp.done());

describe('workspace', () => {
  it('is created with the sample app and the first lesson start, and refuses to be created twice', async () => {
    expect(await read('go.mod')).toBe('module example.com/x\n');
    expect(await read('Dockerfile')).toBe('FROM TODO\n');
    expect(api.currentLessonId()).toBe('one');
    await expect(createWorkspace(ws, course, new Date())).rejects.toThrow(/already a learn-go-docker workspace/);
  });

  it('refuses a non-empty folder that is not a workspace', async () => {
    const other = join(tmp.dir, 'other');
    await createWorkspace(other, course, new Date()).then(() => undefined);
    await writeFile(join(tmp.dir, 'notes.txt'), 'mine');
    await expect(createWorkspace(tmp.dir, course, new Date())).rejects.toThrow(/not empty/);
  });

  it('goto saves the lesson left, writes the next start, and restores the learner version on return', async () => {
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26 # mine\n');
    const toTwo = await api.goto('two');
    expect(toTwo.savedTo).toBe('.learn-go-docker/lessons/one');
    expect(await read('Dockerfile')).toBe('FROM golang:1.26\n');
    expect(await read('internal/app.go')).toContain('TODO(lesson 2)');
    expect(toTwo.changes).toEqual(
      expect.arrayContaining([
        { path: 'Dockerfile', action: 'written' },
        { path: 'internal/app.go', action: 'written' },
      ]),
    );
    await writeFile(join(ws, 'internal/app.go'), 'package internal // fixed by me\n');
    const back = await api.goto('one');
    expect(await read('Dockerfile')).toBe('FROM golang:1.26 # mine\n');
    expect(back.changes).toContainEqual({ path: 'Dockerfile', action: 'restored' });
    // lesson one never changed app.go: it is the sample app's again, and the learner's fix is saved with lesson two
    expect(await read('internal/app.go')).toBe('package internal\n');
    await api.goto('two');
    expect(await read('internal/app.go')).toBe('package internal // fixed by me\n');
  });

  it('reset backs up every changed file to a timestamped folder and restores the start', async () => {
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26\nUSER 65532\n');
    const result = await api.reset('one');
    expect(result.files).toEqual(['Dockerfile']);
    expect(result.backupDir).toMatch(/^\.learn-go-docker\/backups\/\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d/);
    expect(await readFile(join(ws, result.backupDir as string, 'Dockerfile'), 'utf8')).toBe('FROM golang:1.26\nUSER 65532\n');
    expect(await read('Dockerfile')).toBe('FROM TODO\n');
    const again = await api.reset('one');
    expect(again).toEqual({ files: [] });
  });

  it('two resets within one second never share a backup folder', async () => {
    await writeFile(join(ws, 'Dockerfile'), 'A\n');
    const first = await api.reset('one');
    await writeFile(join(ws, 'Dockerfile'), 'B\n');
    const second = await api.reset('one');
    expect(second.backupDir).not.toBe(first.backupDir);
    expect(await readFile(join(ws, second.backupDir as string, 'Dockerfile'), 'utf8')).toBe('B\n');
  });

  it('applying the solution backs up first', async () => {
    await writeFile(join(ws, 'Dockerfile'), 'FROM mine\n');
    const result = await api.applySolution('one');
    expect(result.files).toEqual(['Dockerfile']);
    expect(await read('Dockerfile')).toBe('FROM golang:1.26\nUSER 65532\n');
    expect(existsSync(join(ws, result.backupDir as string, 'Dockerfile'))).toBe(true);
  });

  it('a solution without the app file takes the sample app version (the fix), and shows it', async () => {
    await api.goto('two');
    expect(await read('internal/app.go')).toContain('TODO(lesson 2)');
    const result = await api.applySolution('two');
    expect(result.files).toEqual(['Dockerfile', 'internal/app.go']);
    expect(await read('internal/app.go')).toBe('package internal\n');
    const { readSolution } = await import('../../../src/engine/workspace/workspace.js');
    const shown = await readSolution(course, course.byId('two') as NonNullable<ReturnType<Course['byId']>>);
    // run.sh is in start/ only and not in the sample app: the solution leaves it as it is.
    expect(shown.map((f) => f.path)).toEqual(['Dockerfile', 'internal/app.go']);
    expect(shown.find((f) => f.path === 'internal/app.go')?.content).toBe('package internal\n');
  });

  it('keeps executable bits of overlay files (entrypoint scripts must stay runnable)', async () => {
    await api.goto('two');
    const { statSync } = await import('node:fs');
    expect(statSync(join(ws, 'run.sh')).mode & 0o111).not.toBe(0);
    // and the script is removed again in a lesson that does not have it
    await api.goto('one');
    expect(existsSync(join(ws, 'run.sh'))).toBe(false);
  });
});
