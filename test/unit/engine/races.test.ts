import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { s } from '../../../src/engine/util/schema.js';
import { L } from '../../../src/engine/i18n.js';
import { isUserError } from '../../../src/engine/errors.js';
import { defineCheck } from '../../../src/engine/checks/define.js';
import { fail, pass } from '../../../src/engine/checks/outcome.js';
import type { CheckDefinition } from '../../../src/engine/checks/types.js';
import { loadCourse, type Course } from '../../../src/engine/lessons/load.js';
import { withWorkspaceLock } from '../../../src/engine/progress/lock.js';
import { progressPath, type Progress } from '../../../src/engine/progress/progress.js';
import { openTutorial, type Tutorial } from '../../../src/engine/tutorial.js';
import { createWorkspace } from '../../../src/engine/workspace/workspace.js';
import { FIXTURE_COURSE, noDockerSession, tempDir } from './fakes.js';

/** A static check that waits at a gate the test opens: a verify held open while another command runs. */
const gated = () => {
  let open: () => void = () => undefined;
  let reached: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const arrived = new Promise<void>((resolve) => (reached = resolve));
  const check = defineCheck({
    id: 'fake.contains',
    kind: 'static',
    title: L('Contains', '包含'),
    params: s.object({ text: s.string() }),
    run: async (ctx, params) => {
      const text = (await ctx.files.read(ctx.dockerfilePath)) ?? '';
      reached();
      await gate;
      return text.includes(params.text) ? pass(L('ok', 'ok')) : fail(L('no', 'no'), undefined, 1);
    },
  });
  const docker = defineCheck({
    id: 'fake.docker',
    kind: 'docker',
    title: L('D', 'D'),
    params: s.object({}),
    measure: async () => ({}),
    judge: () => pass(L('ran', 'ran')),
  });
  const registry: Map<string, CheckDefinition> = new Map([check, docker].map((d) => [d.id, d]));
  return { registry, open: () => open(), arrived };
};

let tmp: { dir: string; done: () => Promise<void> };
let ws: string;
let course: Course;
let gate: ReturnType<typeof gated>;

const open = async (): Promise<Tutorial> => (await openTutorial({ course, workspace: ws, createSession: () => noDockerSession() })).api;
const readProgress = async (): Promise<Progress> => JSON.parse(await readFile(progressPath(ws), 'utf8')) as Progress;
const read = (rel: string) => readFile(join(ws, rel), 'utf8');

/** Every file under the workspace whose content contains `marker`. */
const holders = async (marker: string): Promise<string[]> => {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) await walk(abs);
      else if (entry.isFile() && (await readFile(abs, 'utf8')).includes(marker)) out.push(abs.slice(ws.length + 1));
    }
  };
  await walk(ws);
  return out;
};

beforeEach(async () => {
  gate = gated();
  course = await loadCourse(FIXTURE_COURSE, gate.registry);
  tmp = await tempDir();
  ws = join(tmp.dir, 'lab');
  await createWorkspace(ws, course, new Date('2026-11-28T10:00:00Z'));
});
afterEach(() => tmp.done());

describe('two terminals on one workspace', () => {
  it('a verify that ends after a goto in another terminal does not move the learner back, and no work is lost', async () => {
    // Given the tutorial verifying lesson one in terminal A, held inside its check
    const a = await open();
    const b = await open();
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26 # mine-one\n');
    const verifying = a.verify('one');
    await gate.arrived;
    // When terminal B moves to lesson two and the learner works there
    await b.goto('two');
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26 # mine-two\n');
    gate.open();
    await verifying;
    // Then progress still says lesson two, and the verify's attempt was recorded for lesson one
    const progress = await readProgress();
    expect(progress.current).toBe('two');
    expect(progress.lessons.one?.attempts).toBe(1);
    expect(a.currentLessonId()).toBe('two');
    // And going back to lesson one from A saves lesson two's work and restores lesson one's
    await a.goto('one');
    expect(await read('Dockerfile')).toBe('FROM golang:1.26 # mine-one\n');
    await a.goto('two');
    expect(await read('Dockerfile')).toBe('FROM golang:1.26 # mine-two\n');
  });

  it('two verifies of one workspace both count: no update is lost', async () => {
    const a = await open();
    const b = await open();
    // Two lessons: the same files checked twice for one lesson count once (attemptFiles).
    const both = Promise.all([a.verify('one'), b.verify('two')]);
    await gate.arrived;
    gate.open();
    await both;
    const progress = await readProgress();
    expect(progress.lessons.one?.attempts).toBe(1);
    expect(progress.lessons.one?.failures).toBe(1);
    expect(progress.lessons.two?.attempts).toBe(1);
    expect(progress.lessons.two?.failures).toBe(1);
  });

  it('a hint and a language change made while a verify runs are kept when it ends', async () => {
    const a = await open();
    const b = await open();
    const verifying = a.verify('one');
    await gate.arrived;
    await b.setLang('zh-CN');
    gate.open();
    await verifying;
    expect((await readProgress()).lang).toBe('zh-CN');
  });
});

describe('opening a workspace', () => {
  it('reads whole, current progress without waiting for the lock another command holds', async () => {
    // Given another command inside the workspace lock (a goto or verify writing progress)
    const opened = await withWorkspaceLock(ws, async () => {
      // When a command that only reads opens the workspace meanwhile
      const tutorial = await open();
      return tutorial.currentLessonId();
    });
    // Then it opened at once, from the progress on disk (saves are atomic renames: never half a file)
    expect(opened).toBe('one');
  });
  it('clears a lock a killed command left, even when it only reads', async () => {
    const lock = join(ws, '.learn-go-docker', 'lock');
    // A command killed while it held the lock (pid 2^22 + 1 is above Linux's pid_max: never alive).
    await writeFile(lock, JSON.stringify({ pid: 4_194_305, host: hostname(), at: Date.now() }));
    await open();
    await expect(readFile(lock)).rejects.toMatchObject({ code: 'ENOENT' });
  });
  it('still takes the lock to repair: a damaged progress file is kept and restored from its last good copy', async () => {
    const a = await open();
    await a.goto('two');
    await writeFile(progressPath(ws), '{ not json');
    const reopened = await openTutorial({ course, workspace: ws, createSession: () => noDockerSession() });
    expect(reopened.recovered?.en).toContain('previous good copy was restored');
    expect((await readProgress()).current).toBe(reopened.api.currentLessonId());
  });
});

describe('interrupted goto (kill -9)', () => {
  it('a goto retried over an old progress file keeps the saved copy it would replace', async () => {
    // Given lesson one's work, and a goto to two whose progress write was lost (the old file restored)
    const a = await open();
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26 # mine-one\n');
    const before = await readFile(progressPath(ws));
    await a.goto('two');
    await writeFile(progressPath(ws), before);
    // When the learner runs the same goto again
    const retried = await (await open()).goto('two');
    // Then lesson one's work still exists: the snapshot it would have replaced was set aside
    expect(retried.keptEarlier).toMatch(/^\.learn-go-docker\/backups\/.*-lesson-one$/);
    expect(await holders('mine-one')).toContain(`${retried.keptEarlier}/files/Dockerfile`);
  });

  it('a goto killed after its journal was written is completed at the next start, with a backup and a notice', async () => {
    // Given a journal that says "moving one -> two" and a workspace half way (lesson one's files)
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26 # edited-after-crash\n');
    const progress = await readProgress();
    progress.moving = { from: 'one', to: 'two', at: new Date().toISOString() };
    await writeFile(progressPath(ws), JSON.stringify(progress));
    // When any command opens the workspace
    const opened = await openTutorial({ course, workspace: ws, createSession: () => noDockerSession() });
    // Then the move is completed, the files it replaced are backed up, and the learner is told
    expect(opened.api.currentLessonId()).toBe('two');
    expect(await read('Dockerfile')).toBe('FROM golang:1.26\n');
    expect((await readProgress()).moving).toBeUndefined();
    expect(opened.recovered?.en).toMatch(/interrupted; it has been completed\. Files it replaced are in \.learn-go-docker\/backups\//);
    expect(opened.recovered?.['zh-CN']).toContain('中断');
    expect((await holders('edited-after-crash')).some((p) => p.startsWith('.learn-go-docker/backups/'))).toBe(true);
  });

  it('temp files of progress writes a kill interrupted are swept at the next change', async () => {
    const stray = join(ws, '.learn-go-docker', 'progress.json.4242.1764320000000.tmp');
    await writeFile(stray, '{"half":');
    await (await open()).goto('two');
    expect((await readdir(join(ws, '.learn-go-docker'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leftover half-written snapshots are swept at the next goto', async () => {
    const half = join(ws, '.learn-go-docker/lessons/one.new-99999-1');
    await mkdir(join(half, 'files'), { recursive: true });
    await (await open()).goto('two');
    expect(await readdir(join(ws, '.learn-go-docker/lessons'))).toEqual(['one']);
  });

  it('a backup never writes into a half-made one of a command killed in the same second', async () => {
    const now = () => new Date('2026-11-28T10:00:00Z');
    const half = join(ws, '.learn-go-docker/backups/2026-11-28T10-00-00');
    await mkdir(half, { recursive: true });
    await writeFile(join(half, 'Dockerfile'), 'FROM golang:1.26 # killed-reset copy\n');
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26 # later work\n');
    const result = await (await openTutorial({ course, workspace: ws, createSession: () => noDockerSession(), now })).api.reset('one');
    expect(result.backupDir).toBe('.learn-go-docker/backups/2026-11-28T10-00-00-2');
    expect(await holders('killed-reset copy')).toEqual(['.learn-go-docker/backups/2026-11-28T10-00-00/Dockerfile']);
    expect(await holders('later work')).toEqual(['.learn-go-docker/backups/2026-11-28T10-00-00-2/Dockerfile']);
  });

  it('reset sets the saved copy of the lesson aside instead of deleting it', async () => {
    const a = await open();
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26 # v1\n');
    await a.goto('two');
    await a.goto('one');
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26 # v2\n');
    const result = await a.reset('one');
    expect(result.keptEarlier).toMatch(/-lesson-one$/);
    expect(await holders('# v1')).toEqual([`${result.keptEarlier}/files/Dockerfile`]);
    expect(await holders('# v2')).toEqual([`${result.backupDir}/Dockerfile`]);
  });
});

describe('damaged progress', () => {
  it('with no good copy: the files are backed up before any overlay, and the learner is told where', async () => {
    const a = await open();
    await a.goto('two');
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang:1.26 # two-work\n');
    await writeFile(progressPath(ws), '{ not json');
    await writeFile(`${progressPath(ws)}.bak`, 'also broken');
    const opened = await openTutorial({ course, workspace: ws, createSession: () => noDockerSession() });
    expect(opened.api.currentLessonId()).toBe('one');
    expect(opened.recovered?.en).toMatch(/copied to \.learn-go-docker\/backups\/[^ ]+\/ before any lesson change/);
    expect(await read('Dockerfile')).toBe('FROM golang:1.26 # two-work\n');
    // the next goto cannot lose it: a backup holds it whatever the goto does
    await opened.api.goto('two');
    expect((await holders('two-work')).some((p) => p.startsWith('.learn-go-docker/backups/'))).toBe(true);
  });

  it('a progress file of a newer version is not damage: left as it is, and the learner told to update', async () => {
    const newer = JSON.stringify({ version: 99, current: 'future-lesson' });
    await writeFile(progressPath(ws), newer);
    const error = await openTutorial({ course, workspace: ws, createSession: () => noDockerSession() }).catch((e: unknown) => e);
    expect(isUserError(error) && error.localized.en).toMatch(/newer learn-go-docker \(progress format 99; this one reads 1\)/);
    expect(await readFile(progressPath(ws), 'utf8')).toBe(newer);
    expect((await readdir(join(ws, '.learn-go-docker'))).filter((f) => f.includes('corrupt'))).toEqual([]);
  });

  it('two corruptions in the same second are both kept', async () => {
    const now = () => new Date('2026-11-28T10:00:00Z');
    for (const junk of ['first junk', 'second junk']) {
      await writeFile(progressPath(ws), junk);
      await openTutorial({ course, workspace: ws, createSession: () => noDockerSession(), now });
    }
    const kept = (await readdir(join(ws, '.learn-go-docker'))).filter((f) => f.startsWith('progress.json.corrupt-')).sort();
    expect(kept).toEqual(['progress.json.corrupt-2026-11-28T10-00-00', 'progress.json.corrupt-2026-11-28T10-00-00-2']);
  });

  it('a hand-edited current lesson the course lacks is reset to lesson 1, and the learner is told', async () => {
    const progress = await readProgress();
    progress.current = 'no-such-lesson';
    await writeFile(progressPath(ws), JSON.stringify(progress));
    const opened = await openTutorial({ course, workspace: ws, createSession: () => noDockerSession() });
    expect(opened.recovered?.en).toContain('"no-such-lesson", which this course does not have');
    expect((await readProgress()).current).toBe('one');
  });

  it('a folder where progress.json should be is kept aside and progress recovered', async () => {
    const path = progressPath(ws);
    await writeFile(`${path}.bak`, await readFile(path));
    const { rm } = await import('node:fs/promises');
    await rm(path);
    await mkdir(path);
    const opened = await openTutorial({ course, workspace: ws, createSession: () => noDockerSession() });
    expect(opened.recovered?.en).toContain('previous good copy was restored');
    expect((await readProgress()).current).toBe('one');
  });
});

describe('workspace lock', () => {
  it('takes over a lock whose process is gone', async () => {
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.on('exit', resolve));
    await writeFile(join(ws, '.learn-go-docker/lock'), JSON.stringify({ pid: dead.pid, host: hostname(), at: Date.now() }));
    expect(await withWorkspaceLock(ws, async () => 'ran', 2_000)).toBe('ran');
  });

  it('waits for a live holder, then says who holds it', async () => {
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    try {
      await writeFile(join(ws, '.learn-go-docker/lock'), JSON.stringify({ pid: alive.pid, host: hostname(), at: Date.now() }));
      const error = await withWorkspaceLock(ws, async () => 'ran', 300).catch((e: unknown) => e);
      expect(isUserError(error)).toBe(true);
      expect(isUserError(error) && error.localized.en).toContain(`process ${alive.pid}`);
    } finally {
      alive.kill('SIGKILL');
    }
  });

  it('serialises callers of one process without waiting on its own lock file', async () => {
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((name) =>
        withWorkspaceLock(
          ws,
          async () => {
            order.push(`${name}+`);
            await new Promise((resolve) => setTimeout(resolve, 10));
            order.push(`${name}-`);
          },
          2_000,
        ),
      ),
    );
    expect(order).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
  });
});

describe('links out of the workspace', () => {
  it('goto refuses a Dockerfile linked outside; reset and solution --apply move the link aside; no copy of its target anywhere', async () => {
    const { lstat, readlink, symlink, rm } = await import('node:fs/promises');
    const outside = join(tmp.dir, 'outside-secret');
    await writeFile(outside, 'canary-outside-7f3a\n');
    await rm(join(ws, 'Dockerfile'));
    await symlink(outside, join(ws, 'Dockerfile'));
    const a = await open();
    const error = await a.goto('two').catch((e: unknown) => e);
    expect(isUserError(error) && error.localized.en).toContain('outside the workspace');
    // The way back to the start always works: the link itself goes to the backup, never followed.
    const reset = await a.reset('one');
    expect(reset.files).toContain('Dockerfile');
    const moved = join(ws, reset.backupDir as string, 'Dockerfile');
    expect((await lstat(moved)).isSymbolicLink()).toBe(true);
    expect(await readlink(moved)).toBe(outside);
    expect((await lstat(join(ws, 'Dockerfile'))).isFile()).toBe(true);
    expect(await holders('canary-outside-7f3a')).toEqual([]);
    expect((await readProgress()).current).toBe('one');
  });
});

describe('the way back to the start', () => {
  it('reset moves a Dockerfile the runner cannot read (too big, a folder) into the backup, whole, and writes the start', async () => {
    const { mkdir: mk, rm, stat } = await import('node:fs/promises');
    const a = await open();
    await writeFile(join(ws, 'Dockerfile'), `FROM golang:1.26\n# ${'x'.repeat(17 * 1024 * 1024)}\n`);
    const big = await a.reset('one');
    expect(big.files).toEqual(['Dockerfile']);
    expect((await stat(join(ws, big.backupDir as string, 'Dockerfile'))).size).toBeGreaterThan(17 * 1024 * 1024);
    expect(await read('Dockerfile')).toBe(await readFile(join(FIXTURE_COURSE, 'lessons', '01-one', 'start', 'Dockerfile'), 'utf8'));
    await rm(join(ws, 'Dockerfile'));
    await mk(join(ws, 'Dockerfile', 'inside'), { recursive: true });
    const folder = await a.reset('one');
    expect((await stat(join(ws, folder.backupDir as string, 'Dockerfile', 'inside'))).isDirectory()).toBe(true);
    expect((await stat(join(ws, 'Dockerfile'))).isFile()).toBe(true);
  });
});
