import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpFor } from '../../../src/commands/help.js';
import type { WorkshopServer } from '../../../src/engine/workshop/server.js';
import { clearGateCache } from '../../../src/engine/workshop/solution-gate.js';
import { runCli } from '../hostile/harness.js';
import { cjkSpacingProblems } from '../i18n/cjk-spacing.js';
import { serve, tempRoot, testClock } from './helpers.js';

// The pacing tools as a learner and an instructor type them (the shipped course, no Docker):
// `--workshop`, `solution` refused until `workshop allow`, then `goto N --catch-up`.

let root: { dir: string; done: () => Promise<void> };
let server: WorkshopServer;
let ws: string;
const roomDir = () => join(root.dir, 'room');
const dockerfile = () => readFile(join(ws, 'Dockerfile'), 'utf8');
/** `list --json`, each lesson with its number (its place in the course). */
const lessons = async () =>
  (JSON.parse((await runCli(['list', '--json', '--dir', ws])).out) as { number: number; status: string }[]).map((l) => ({
    number: l.number,
    status: l.status,
  }));

beforeAll(async () => {
  root = await tempRoot();
  ws = join(root.dir, 'lab');
  expect((await runCli(['init', '--yes', '--dir', ws])).code).toBe(0);
  server = await serve(roomDir(), testClock());
});
afterAll(async () => {
  await server.close();
  await root.done();
});

describe('workshop mode and workshop allow', () => {
  it('join --workshop turns workshop mode on and says so; solutions are then refused in one line', async () => {
    const joined = await runCli(['join', server.url, server.code, '--name', 'Late', '--workshop', '--dir', ws]);
    expect(joined.code).toBe(0);
    expect(joined.out.split('\n')[0]).toBe(
      'Workshop mode on: solutions stay hidden until the instructor opens them (once you have joined the room). Leave it with --no-workshop.',
    );
    expect(joined.out).toContain(`Joined the workshop at ${server.url}.`);
    // The report carries the name the room knows, with no --name.
    expect(JSON.parse((await runCli(['report', '--json', '--dir', ws])).out)).toMatchObject({ learner: 'Late' });

    const show = await runCli(['solution', '--dir', ws]);
    expect(show.code).toBe(2);
    expect(show.out).toBe('');
    expect(show.err).toBe('Workshop mode: the instructor has not opened the solution of lesson 1 yet.\n');

    const before = await dockerfile();
    const apply = await runCli(['solution', '--apply', '--yes', '--dir', ws]);
    expect(apply.code).toBe(2);
    expect(apply.err).toBe('Workshop mode: the instructor has not opened the solution of lesson 1 yet.\n');
    expect(await dockerfile()).toBe(before);
  });

  it('goto --catch-up in workshop mode is refused before anything moves when a solution is not open', async () => {
    const run = await runCli(['goto', '3', '--catch-up', '--yes', '--dir', ws]);
    expect(run.code).toBe(2);
    expect(run.err).toBe('Workshop mode: the instructor has not opened the solution of lesson 2 yet.\n');
    expect((await lessons()).find((l) => l.status === 'current')?.number).toBe(1);
  });

  it('workshop allow opens them in the running server; the learner then catches up with backups and no fake passes', async () => {
    const allow = await runCli(['workshop', 'allow', '2', '--dir', roomDir()]);
    expect(allow.err).toBe('');
    expect(allow.code).toBe(0);
    expect(allow.out).toBe(`Solutions are open for lessons 1 to 2 (${server.url}).\n`);
    expect(server.solutions()).toBe(2);

    // The learner's own try at lesson 1: replaced by the solution, kept in a backup they are told of.
    await writeFile(join(ws, 'Dockerfile'), 'FROM golang\n# my try\n');
    clearGateCache();
    const run = await runCli(['goto', '3', '--catch-up', '--yes', '--dir', ws]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const lines = run.out.split('\n');
    const one = lines.find((l) => l.startsWith('Lesson 1: '));
    expect(one).toMatch(/^Lesson 1: solution written; the files it replaced are backed up in \.learn-go-docker\/backups\/[^ ]+\/$/);
    expect(lines.find((l) => l.startsWith('Lesson 2: '))).toMatch(/^Lesson 2: solution written/);
    expect(run.out).toContain('None of them is marked passed: a verify there passes it');
    expect(lines).toContain('Lesson 3: Layers and the build cache');
    const backup = (one as string).slice((one as string).indexOf('.learn-go-docker/backups/')).replace(/\/$/, '');
    expect(await readFile(join(ws, backup, 'Dockerfile'), 'utf8')).toBe('FROM golang\n# my try\n');

    const list = await lessons();
    expect(list.filter((l) => l.status === 'done')).toEqual([]);
    expect(list.find((l) => l.status === 'current')?.number).toBe(3);
    const progress = JSON.parse(await readFile(join(ws, '.learn-go-docker', 'progress.json'), 'utf8')) as { lessons: Record<string, { passed: boolean }> };
    expect(Object.values(progress.lessons).some((l) => l.passed)).toBe(false);
  });

  it('--no-workshop leaves workshop mode, says so, and the solution follows the usual rules', async () => {
    const run = await runCli(['solution', '--no-workshop', '--dir', ws]);
    expect(run.code).toBe(0);
    expect(run.out.split('\n')[0]).toBe('Workshop mode off: solutions open as usual.');
    expect(run.out).toContain('The solution opens after you pass this lesson');
  });

  it('workshop allow: a clear error for a bad lesson, a folder with no room, and a room with no server', async () => {
    const bad = await runCli(['workshop', 'allow', 'three', '--dir', roomDir()]);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(
      'workshop allow needs a lesson number or all, not "three".\nOpen the solutions of lessons 1 to 3: npx learn-go-docker workshop allow 3 (all: every lesson; 0: none)\n',
    );
    const empty = join(root.dir, 'empty');
    await mkdir(empty, { recursive: true });
    const none = await runCli(['workshop', 'allow', 'all', '--dir', empty]);
    expect(none.code).toBe(2);
    expect(none.err.split('\n')[0]).toBe(`${empty} is not a workshop room folder (no instructor-token).`);

    // A room whose server was killed: its address file is left, nothing listens there.
    const stale = join(root.dir, 'stale');
    await mkdir(stale, { recursive: true });
    await writeFile(join(stale, 'instructor-token'), 'x'.repeat(32));
    await writeFile(join(stale, 'server.json'), JSON.stringify({ url: 'http://127.0.0.1:9', local: 'http://127.0.0.1:9' }));
    const dead = await runCli(['workshop', 'allow', '1', '--dir', stale]);
    expect(dead.code).toBe(2);
    expect(dead.err).toBe(`No workshop server is running for ${stale}.\nStart it (in another terminal): npx learn-go-docker workshop serve --dir ${stale}\n`);
  });

  it('usage: --catch-up goes with goto, --workshop with a learner command, workshop takes one action', async () => {
    expect((await runCli(['list', '--catch-up', '--dir', ws])).err).toMatch(/^--catch-up goes with goto/);
    expect((await runCli(['doctor', '--workshop'])).err).toMatch(/^--workshop and --no-workshop are for a learner's workspace, not doctor\./);
    expect((await runCli(['list', '--workshop', '--no-workshop', '--dir', ws])).err).toMatch(/^Choose --workshop or --no-workshop, not both\./);
    expect((await runCli(['workshop', 'serve', 'now'])).err).toMatch(/^Too many arguments for workshop: serve now/);
    expect(await readdir(join(ws, '.learn-go-docker'))).not.toContain('workshop-mode.json');
  });

  it('init --workshop remembers workshop mode in the new workspace; --json keeps stdout one object', async () => {
    const fresh = join(root.dir, 'fresh');
    const init = await runCli(['init', '--yes', '--workshop', '--dir', fresh]);
    expect(init.code).toBe(0);
    expect(init.out).toMatch(/\nWorkshop mode on: solutions stay hidden until the instructor opens them/);
    expect(await readdir(join(fresh, '.learn-go-docker'))).toContain('workshop-mode.json');
    const off = await runCli(['list', '--json', '--no-workshop', '--dir', fresh]);
    expect(off.err).toBe('Workshop mode off: solutions open as usual.\n');
    expect(Array.isArray(JSON.parse(off.out))).toBe(true);
    expect(await readdir(join(fresh, '.learn-go-docker'))).not.toContain('workshop-mode.json');
  });

  it('help says all of it, in both languages', () => {
    expect(helpFor('goto').en).toContain('--catch-up');
    expect(helpFor('goto')['zh-CN']).toContain('--catch-up');
    expect(helpFor('workshop').en).toContain('npx learn-go-docker workshop allow LESSON|all [--dir D]');
    expect(helpFor('workshop')['zh-CN']).toContain('workshop allow LESSON|all');
    expect(helpFor(undefined).en).toContain('--workshop');
    expect(helpFor(undefined)['zh-CN']).toContain('--no-workshop');
    for (const command of ['goto', 'solution', 'workshop', 'join', undefined]) expect(cjkSpacingProblems(helpFor(command)['zh-CN'])).toEqual([]);
  });
});
