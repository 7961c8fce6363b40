import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/engine/errors.js';
import { loadCourse } from '../../../src/engine/lessons/load.js';
import { readProgressAsIs } from '../../../src/engine/progress/progress.js';
import { openTutorial } from '../../../src/engine/tutorial.js';
import { catchUp } from '../../../src/engine/workspace/catch-up.js';
import { createWorkspace } from '../../../src/engine/workspace/workspace.js';
import { allowSolutions, pickRoomFolder, roomFoldersIn } from '../../../src/engine/workshop/allow.js';
import { joinWorkshop } from '../../../src/engine/workshop/client.js';
import { LOG_FILE, readEventLog } from '../../../src/engine/workshop/event-log.js';
import { gateSolutions, setWorkshopMode, workshopModeOn } from '../../../src/engine/workshop/mode.js';
import { SERVER_FILE, type WorkshopServer } from '../../../src/engine/workshop/server.js';
import { askSolutionAllowed, clearGateCache, solutionRefusal } from '../../../src/engine/workshop/solution-gate.js';
import { fakeRegistry, FIXTURE_COURSE, noDockerSession } from '../engine/fakes.js';
import { learnerWorkspace, raw, serve, tempRoot, testClock } from './helpers.js';

// Issue 15, pacing tools: `goto N --catch-up` over the engine (fixture course, no Docker), and the
// instructor opening solutions for learners in workshop mode, over real HTTP on 127.0.0.1.

let root: { dir: string; done: () => Promise<void> };
let servers: WorkshopServer[];
const roomDir = () => join(root.dir, 'room');

beforeEach(async () => {
  root = await tempRoot();
  servers = [];
  clearGateCache();
});
afterEach(async () => {
  for (const s of servers) await s.close().catch(() => undefined);
  await root.done();
});

const start = async (port = 0) => {
  const server = await serve(roomDir(), testClock(), { port });
  servers.push(server);
  return server;
};

const fixtureLab = async (name: string) => {
  const course = await loadCourse(FIXTURE_COURSE, fakeRegistry());
  const workspace = join(root.dir, name);
  await createWorkspace(workspace, course, new Date());
  const { api } = await openTutorial({ course, workspace, createSession: () => noDockerSession() });
  return { course, workspace, api };
};

const backupFolders = async (workspace: string) => (await readdir(join(workspace, '.learn-go-docker', 'backups')).catch(() => [] as string[])).sort();

describe('goto N --catch-up', () => {
  it('writes the solution of each unpassed earlier lesson after a backup of what it replaces, and marks nothing passed', async () => {
    const { workspace, api } = await fixtureLab('late');
    await writeFile(join(workspace, 'Dockerfile'), 'FROM golang:1.26\n# my own try\n');
    await api.verify('one'); // a failed attempt: counted, not passed

    const result = await catchUp(api, 'two');

    expect(result.applied.map((a) => a.lesson.id)).toEqual(['one']);
    expect(result.passed).toEqual([]);
    const backups = result.applied[0]?.backups ?? [];
    expect(backups).toHaveLength(1);
    // The learner's try is in the backup the learner is told of.
    expect(await readFile(join(workspace, backups[0] as string, 'Dockerfile'), 'utf8')).toBe('FROM golang:1.26\n# my own try\n');
    // Lesson one now holds its solution (saved with the lesson when the catch-up moved on).
    expect(await readFile(join(workspace, '.learn-go-docker', 'lessons', 'one', 'files', 'Dockerfile'), 'utf8')).toBe('FROM golang:1.26\nUSER 65532\n');
    // The learner is on lesson two, at its start.
    expect(api.currentLessonId()).toBe('two');
    expect(await readFile(join(workspace, 'Dockerfile'), 'utf8')).toBe(
      await readFile(join(FIXTURE_COURSE, 'lessons', '02-two', 'start', 'Dockerfile'), 'utf8'),
    );
    const progress = await readProgressAsIs(workspace);
    expect(progress?.current).toBe('two');
    expect(progress?.lessons.one).toMatchObject({ passed: false, attempts: 1, failures: 1 });
    expect(progress?.lessons.two?.passed).toBe(false);
    expect(progress?.moving).toBeUndefined();
    expect(api.doneCount().done).toBe(0);

    // The solution really is one: the next verify of lesson one passes it, honestly.
    await api.goto('one');
    expect(await api.verify('one')).toMatchObject({ passed: true });
  });

  it('leaves a passed lesson as the learner left it, and writes nothing for it', async () => {
    const { workspace, api } = await fixtureLab('on-time');
    const mine = 'FROM golang:1.26\n# mine, and it passes\nUSER 65532\n';
    await writeFile(join(workspace, 'Dockerfile'), mine);
    expect(await api.verify('one')).toMatchObject({ passed: true });

    const result = await catchUp(api, 'two');

    expect(result.applied).toEqual([]);
    expect(result.passed.map((l) => l.id)).toEqual(['one']);
    expect(await backupFolders(workspace)).toEqual([]);
    expect(await readFile(join(workspace, '.learn-go-docker', 'lessons', 'one', 'files', 'Dockerfile'), 'utf8')).toBe(mine);
    expect(api.currentLessonId()).toBe('two');
  });

  it('to the lesson the learner is on: the earlier ones are caught up and their own work on it comes back', async () => {
    const { workspace, api } = await fixtureLab('back');
    await api.goto('two');
    await writeFile(join(workspace, 'Dockerfile'), 'FROM golang:1.26\nEXPOSE 8080\n# lesson two, in progress\n');
    const result = await catchUp(api, 'two');
    expect(result.applied.map((a) => a.lesson.id)).toEqual(['one']);
    expect(api.currentLessonId()).toBe('two');
    expect(await readFile(join(workspace, 'Dockerfile'), 'utf8')).toBe('FROM golang:1.26\nEXPOSE 8080\n# lesson two, in progress\n');
    expect(result.arrival.changes.find((c) => c.path === 'Dockerfile')?.action).toBe('restored');
    // The learner is told where lesson two's files waited meanwhile.
    expect(result.left).toMatchObject({ lesson: { id: 'two' }, savedTo: '.learn-go-docker/lessons/two' });
  });
});

describe('workshop mode: the instructor opens solutions', () => {
  const joined = async (server: WorkshopServer, name: string) => {
    const workspace = await learnerWorkspace(root.dir, name);
    await joinWorkshop({ workspace, url: server.url, code: server.code, name });
    await setWorkshopMode(workspace, true);
    return workspace;
  };

  it('refuses until allowed, allows up to a lesson for both learners, refuses a bad token, and survives a restart', async () => {
    let server = await start();
    const ada = await joined(server, 'ada');
    const bo = await joined(server, 'bo');

    // Before any word from the instructor: hidden.
    expect(server.solutions()).toBe(0);
    expect(await askSolutionAllowed(ada, 1)).toEqual({ kind: 'refused', upTo: 0 });
    const refused = await solutionRefusal(bo, 2);
    expect(refused).toBeInstanceOf(UserError);
    expect(refused?.localized.en).toBe('Workshop mode: the instructor has not opened the solution of lesson 2 yet.');
    expect(refused?.localized['zh-CN']).toBe('工作坊模式：讲师还没有开放第 2 课的参考答案。');
    expect(refused?.next).toBeUndefined();

    // Only the instructor's token opens them: not a wrong token, not the learners' join code.
    const post = (headers: Record<string, string>, body = '{"upTo":2}') =>
      raw(server.url, { method: 'POST', path: '/v1/solutions', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await post({ authorization: 'Bearer 0123456789abcdef0123456789abcdef' })).status).toBe(401);
    expect((await post({ 'x-workshop-code': server.code })).status).toBe(401);
    expect((await post({ authorization: `Bearer ${server.token}` }, '{"upTo":"some"}')).status).toBe(400);
    expect((await post({ authorization: `Bearer ${server.token}` }, '{"upTo":2,"x":1}')).status).toBe(400);
    // A learner's question needs the join code.
    expect((await raw(server.url, { method: 'GET', path: '/v1/solutions/1', headers: { 'x-workshop-code': 'WRONG2' } })).status).toBe(401);
    expect(server.solutions()).toBe(0);

    expect(await allowSolutions(roomDir(), 2)).toEqual({ upTo: 2, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
    clearGateCache();
    expect(await askSolutionAllowed(ada, 2)).toEqual({ kind: 'allowed', upTo: 2 });
    expect(await askSolutionAllowed(bo, 1)).toEqual({ kind: 'allowed', upTo: 2 });
    expect(await askSolutionAllowed(bo, 3)).toEqual({ kind: 'refused', upTo: 2 });
    expect(await solutionRefusal(ada, 2)).toBeUndefined();

    // On disk before it was acknowledged, beside the events, and read back by a restarted server.
    const lines = (await readFile(join(roomDir(), LOG_FILE), 'utf8')).trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1] as string)).toMatchObject({ allowance: { type: 'solutions', upTo: 2 } });
    const log = await readEventLog(roomDir());
    expect(log.skipped).toBe(0);
    expect(log.allowances.map((a) => a.allowance.upTo)).toEqual([2]);
    const port = Number(new URL(server.url).port);
    await server.close();
    servers = [];
    server = await start(port); // the same address: the laptops keep theirs
    expect(server.solutions()).toBe(2);
    clearGateCache();
    expect(await askSolutionAllowed(ada, 2)).toEqual({ kind: 'allowed', upTo: 2 });

    // The latest word wins: all, then 0 hides everything again.
    await allowSolutions(roomDir(), 'all');
    clearGateCache();
    expect(await askSolutionAllowed(bo, 31)).toEqual({ kind: 'allowed', upTo: 'all' });
    await allowSolutions(roomDir(), 0);
    clearGateCache();
    expect(await askSolutionAllowed(bo, 1)).toEqual({ kind: 'refused', upTo: 0 });
  });

  it('off the network, solutions stay hidden and the learner is told how to leave workshop mode', async () => {
    const server = await start();
    const ada = await joined(server, 'ada');
    await server.close();
    servers = [];
    const refusal = await solutionRefusal(ada, 1, { timeoutMs: 500 });
    expect(refusal?.localized.en).toBe(`Workshop mode: the workshop server at ${server.url} does not answer, so solutions stay hidden.`);
    expect(refusal?.next?.en).toBe('To leave workshop mode (solutions then open as usual): npx learn-go-docker solution --no-workshop');
    expect(refusal?.next?.['zh-CN']).toContain('--no-workshop');
    // A request that never answers is given up within the timeout, not waited for.
    const started = Date.now();
    const hanging = await askSolutionAllowed(ada, 1, {
      timeoutMs: 200,
      fetchImpl: (_url, init) => new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason))),
    });
    expect(hanging).toEqual({ kind: 'unreachable', url: server.url });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('gates the tutorial itself (the path of the UI key): show and apply wait, then work once allowed', async () => {
    const server = await start();
    const { workspace, api: plain } = await fixtureLab('ui-lab');
    await joinWorkshop({ workspace, url: server.url, code: server.code, name: 'Ui' });
    const api = gateSolutions(plain, workspace);
    await api.verify('one');
    await writeFile(join(workspace, 'Dockerfile'), 'FROM golang:1.25\n');
    await api.verify('one'); // two failed tries: the course's own rule would open the solution

    // Not in workshop mode: the usual rules.
    expect((await api.solution('one')).available).toBe(true);
    await setWorkshopMode(workspace, true);
    expect(workshopModeOn(workspace)).toBe(true);
    const hidden = await api.solution('one');
    expect(hidden).toMatchObject({ available: false, files: [] });
    expect(hidden.reason?.en).toBe('Workshop mode: the instructor has not opened the solution of lesson 1 yet.');
    const before = await readFile(join(workspace, 'Dockerfile'), 'utf8');
    await expect(api.applySolution('one')).rejects.toThrow(/has not opened the solution of lesson 1/);
    expect(await readFile(join(workspace, 'Dockerfile'), 'utf8')).toBe(before);

    await allowSolutions(roomDir(), 1);
    clearGateCache();
    expect((await api.solution('one')).available).toBe(true);
    expect((await api.applySolution('one')).backupDir).toMatch(/^\.learn-go-docker\/backups\//);

    // Leaving workshop mode opens them as usual, with no server asked.
    await setWorkshopMode(workspace, false);
    await server.close();
    servers = [];
    clearGateCache();
    expect((await api.solution('one')).available).toBe(true);
  });

  it('once the instructor opens a lesson, its solution shows with no failed verify (the room sets the pace)', async () => {
    const server = await start();
    const { workspace, api: plain } = await fixtureLab('pace-lab');
    await joinWorkshop({ workspace, url: server.url, code: server.code, name: 'Pace' });
    const api = gateSolutions(plain, workspace);
    // Not in workshop mode: the course's rule (no verify yet, so not open).
    expect((await api.solution('one')).available).toBe(false);
    await setWorkshopMode(workspace, true);
    expect((await api.solution('one')).available).toBe(false);
    await allowSolutions(roomDir(), 1);
    clearGateCache();
    const opened = await api.solution('one');
    expect(opened.available).toBe(true);
    expect(opened.files.length).toBeGreaterThan(0);
  });

  it('workshop allow with no folder finds the room whose server runs beside it, and asks when two do', async () => {
    expect(pickRoomFolder(await roomFoldersIn(root.dir))).toBeUndefined(); // no room yet
    const first = await start();
    expect(pickRoomFolder(await roomFoldersIn(root.dir))).toBe(roomDir());
    expect(pickRoomFolder(await roomFoldersIn(roomDir()))).toBe(roomDir()); // run inside the folder too
    const other = await serve(join(root.dir, 'afternoon'), testClock());
    servers.push(other);
    const two = pickRoomFolder(await roomFoldersIn(root.dir));
    expect(two).toBeInstanceOf(UserError);
    expect((two as UserError).message).toBe('Workshop servers run for 2 folders here: afternoon, room.');
    await other.close();
    await first.close();
    servers = [];
    // Stopped: the folders stay rooms, with no server to ask.
    expect((await roomFoldersIn(root.dir)).map((r) => r.running)).toEqual([false, false]);
    expect(pickRoomFolder(await roomFoldersIn(root.dir))).toBeUndefined();
  });

  it('an allowance line that is not one is skipped and counted, like a torn event line', async () => {
    await writeFile(
      join(root.dir, LOG_FILE),
      [
        '{"receivedAt":1,"allowance":{"type":"solutions","upTo":3}}',
        '{"receivedAt":2,"allowance":{"type":"solutions","upTo":"three"}}',
        '{"receivedAt":3,"allowance":{"type":"hints","upTo":3}}',
        '{"receivedAt":4,"allowance":{"type":"solutions","upTo":4,"by":"x"}}',
        '{"receivedAt":5,"allowance":{"type":"solutions","upTo":"all"}}',
        '{"receivedAt":6,"allowance":{"type":"solu',
      ].join('\n'),
    );
    const log = await readEventLog(root.dir);
    expect(log.allowances.map((a) => a.allowance.upTo)).toEqual([3, 'all']);
    expect(log.skipped).toBe(4);
    expect(log.events).toEqual([]);
  });

  it('a stopped server removes its address file; the CLI then says no server runs', async () => {
    const server = await start();
    expect(JSON.parse(await readFile(join(roomDir(), SERVER_FILE), 'utf8'))).toMatchObject({ url: server.url, local: server.url });
    expect((await stat(join(roomDir(), SERVER_FILE))).mode & 0o777).toBe(0o600);
    await server.close();
    servers = [];
    await expect(stat(join(roomDir(), SERVER_FILE))).rejects.toThrow(/ENOENT/);
    await expect(allowSolutions(roomDir(), 1)).rejects.toThrow(`No workshop server is running for ${roomDir()}.`);
  });
});
