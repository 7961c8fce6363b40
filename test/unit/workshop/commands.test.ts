import { stat, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpFor } from '../../../src/commands/help.js';
import type { CommandContext } from '../../../src/commands/context.js';
import { workshopCommand } from '../../../src/commands/workshop.js';
import { openWorkspaceTutorial } from '../../../src/engine/index.js';
import { loadCourse } from '../../../src/engine/lessons/load.js';
import { openTutorial } from '../../../src/engine/tutorial.js';
import { flushOutbox, joinWorkshop } from '../../../src/engine/workshop/client.js';
import { reportVerifyToWorkshop } from '../../../src/engine/workshop/hook.js';
import { readEventLog } from '../../../src/engine/workshop/event-log.js';
import type { WorkshopServer } from '../../../src/engine/workshop/server.js';
import { createWorkspace } from '../../../src/engine/workspace/workspace.js';
import { fakeRegistry, FIXTURE_COURSE, noDockerSession } from '../engine/fakes.js';
import { runCli } from '../hostile/harness.js';
import { cjkSpacingProblems } from '../i18n/cjk-spacing.js';
import { outbox, serve, tempRoot, testClock } from './helpers.js';

// The commands over the engine: join, ask and workshop serve/export as a learner and an instructor
// type them, and the verify hook through the engine's Tutorial (the path the CLI and the UI share).

let root: { dir: string; done: () => Promise<void> };
let server: WorkshopServer;
let ws: string;
const roomDir = () => join(root.dir, 'room');

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

describe('join and ask', () => {
  it('join checks the code, stores the room (mode 600) and says what will be sent', async () => {
    const wrong = await runCli(['join', server.url, 'NOPE22', '--name', 'Ada', '--dir', ws]);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toBe('The server refused the join code NOPE22.\nCheck the code on the instructor’s screen and type it again.\n');
    await expect(stat(join(ws, '.learn-go-docker', 'workshop.json'))).rejects.toThrow(/ENOENT/);

    const run = await runCli(['join', server.url, server.code, '--name', 'Ada', '--dir', ws]);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain(`Joined the workshop at ${server.url}. Your name in the room: Ada\n`);
    expect(run.out).toContain('Never your files.');
    expect(run.out).toMatch(/Sent\.\n$/);
    const file = join(ws, '.learn-go-docker', 'workshop.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ url: server.url, code: server.code, name: 'Ada' });
    expect(server.room().learners.map((l) => [l.name, l.lesson.number, l.lesson.id])).toEqual([['Ada', 1, 'welcome']]);
  });

  it('join without its two arguments is a usage error', async () => {
    const run = await runCli(['join', server.url]);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^join needs the address and the code the instructor shows\./);
  });

  it('a static-only verify of a Docker lesson sends nothing (it is not an attempt)', async () => {
    const before = (await readEventLog(roomDir())).events.length;
    const { api } = await openWorkspaceTutorial(ws, root.dir);
    await api.verify(api.currentLessonId(), { staticOnly: true });
    await flushOutbox(ws);
    expect(await outbox(ws)).toEqual([]);
    expect((await readEventLog(roomDir())).events.length).toBe(before);
  });

  it('ask says what it sends, then sends the Dockerfile', async () => {
    const dockerfile = await readFile(join(ws, 'Dockerfile'), 'utf8');
    const run = await runCli(['ask', '--dir', ws]);
    expect(run.code).toBe(0);
    expect(run.out.split('\n')[0]).toBe("Asking the instructor for help with lesson 1: sending your Dockerfile and your last verify's result.");
    expect(run.out).toContain('Sent.');
    const help = server.room().learners[0]?.help;
    expect(help?.dockerfile).toBe(dockerfile);
    // The last result is the static-only verify above: no attempt counted, its failing check named.
    expect(help?.lastVerdict).toMatchObject({ passed: false, attempts: 0 });
  });
});

describe('the verify hook', () => {
  it('each recorded verify of a joined workspace reaches the room with its check ids; a failing hook never fails the verify', async () => {
    const course = await loadCourse(FIXTURE_COURSE, fakeRegistry());
    const fixture = join(root.dir, 'fixture-lab');
    await createWorkspace(fixture, course, new Date());
    await joinWorkshop({ workspace: fixture, url: server.url, code: server.code, name: 'Fix' });
    const { api } = await openTutorial({
      course,
      workspace: fixture,
      createSession: () => noDockerSession(),
      afterVerify: (verified) => reportVerifyToWorkshop(fixture, verified),
    });
    await api.verify('one');
    // The same files again (a watch re-check): reported, but no new attempt and no failure more in a row.
    await api.verify('one');
    await writeFile(join(fixture, 'Dockerfile'), 'FROM golang:1.25\n');
    await api.verify('one');
    await flushOutbox(fixture);
    const row = server.room().learners.find((l) => l.name === 'Fix');
    expect(row).toMatchObject({ lesson: { id: 'one', number: 1 }, attempts: 2, failedInARow: 2, failing: ['fake.contains', 'fake.contains#user'] });

    const broken = await openTutorial({
      course,
      workspace: fixture,
      createSession: () => noDockerSession(),
      afterVerify: () => Promise.reject(new Error('disk full')),
    });
    await writeFile(join(fixture, 'Dockerfile'), 'FROM golang:1.26\nUSER 65532\n');
    const result = await broken.api.verify('one');
    expect(result).toMatchObject({ passed: true, attempts: 3 });
  });
});

describe('workshop serve and export', () => {
  const context = (signal: AbortSignal) => {
    let out = '';
    const ctx: CommandContext = {
      lang: 'en',
      langExplicit: true,
      cwd: root.dir,
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: (t: string) => (out += t) },
      interactive: false,
      color: false,
      signal,
    };
    return { ctx, out: () => out };
  };

  it('serve prints the address, the code and the join command, a table on each event, and stops on Ctrl-C', async () => {
    const abort = new AbortController();
    const { ctx, out } = context(abort.signal);
    const running = workshopCommand(ctx, { action: 'serve', dir: join(root.dir, 'live'), host: '127.0.0.1', port: '0', md: false, csv: false, json: false });
    await expect.poll(out).toContain('Join code: ');
    const url = /Workshop server on (http:\/\/127\.0\.0\.1:\d+)/.exec(out())?.[1] as string;
    const code = /Join code: ([A-Z0-9]{6})/.exec(out())?.[1] as string;
    expect(out()).toContain(`npx learn-go-docker join ${url} ${code} --name "…"`);
    expect(out()).toContain('(nobody has joined yet)');
    // The token reads every Dockerfile: it goes to a file (600), never to the screen a projector shows.
    const tokenFile = join(root.dir, 'live', 'instructor-token');
    const token = (await readFile(tokenFile, 'utf8')).trim();
    expect(token).toMatch(/^[0-9a-f]{32}$/);
    expect((await stat(tokenFile)).mode & 0o777).toBe(0o600);
    expect(out()).not.toContain(token);
    expect(out()).toContain(`$(cat ${tokenFile})`);
    const learner = join(root.dir, 'live-learner');
    await createWorkspace(learner, await loadCourse(FIXTURE_COURSE, fakeRegistry()), new Date());
    await runCli(['join', url, code, '--name', 'Zoe', '--dir', learner]).catch(() => undefined);
    await expect.poll(out, { timeout: 3000 }).toMatch(/1 learner · 0 stuck · 0 asking for help\n.*\n {2}Zoe +1 welcome +0 +0\n/);
    abort.abort();
    expect(await running).toBe(0);
    expect(out()).toContain('Stopped. Start again with the same --dir to continue the room');
  });

  it('serve on a port in use says so in one line', async () => {
    const port = new URL(server.url).port;
    const run = await runCli(['workshop', 'serve', '--host', '127.0.0.1', '--port', port, '--dir', join(root.dir, 'busy')]);
    expect(run.code).toBe(2);
    expect(run.err).toBe(`Port ${port} is already in use on 127.0.0.1.\nChoose another: npx learn-go-docker workshop serve --port 8788\n`);
  });

  it('export prints the room from the log, as a table, CSV or Markdown; an empty folder is a clear error', async () => {
    const table = await runCli(['workshop', 'export', '--dir', roomDir()]);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/ {2}Ada +1 welcome +0 +0 +HELP\n/);
    const csv = await runCli(['workshop', 'export', '--dir', roomDir(), '--csv']);
    expect(csv.out.split('\n')[0]).toBe('name,learner_id,lesson_number,lesson_id,passed,attempts,failed_in_a_row,minutes,stuck,help_pending,failing_checks');
    expect(csv.out).toMatch(/\nAda,[\w-]+,1,welcome,false,0,0,0,,true,\n/);
    const md = await runCli(['workshop', 'export', '--dir', roomDir(), '--md']);
    expect(md.out).toContain('## Help requests');
    expect(md.out).toContain('```dockerfile\n');
    const empty = await runCli(['workshop', 'export', '--dir', join(root.dir, 'nothing')]);
    expect(empty.code).toBe(2);
    expect(empty.err).toMatch(/^No workshop events in .*nothing\./);
    expect((await runCli(['workshop', 'start'])).err).toMatch(/^workshop needs serve, export or allow, not "start"\./);
  });

  it('help for each new command exists in both languages and follows the spacing rule', () => {
    for (const command of ['workshop', 'join', 'ask']) {
      const help = helpFor(command);
      expect(help.en).toMatch(new RegExp(`^npx learn-go-docker ${command}\\b`));
      expect(help['zh-CN']).not.toBe(helpFor(undefined)['zh-CN']);
      expect(cjkSpacingProblems(help['zh-CN'])).toEqual([]);
    }
    expect(cjkSpacingProblems(helpFor(undefined)['zh-CN'])).toEqual([]);
  });
});
