import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/engine/errors.js';
import {
  announceJoin,
  askForHelp,
  flushOutbox,
  joinWorkshop,
  queueEvent,
  recordVerify,
  verifyEventOf,
  type FetchLike,
  type WorkshopConfig,
} from '../../../src/engine/workshop/client.js';
import { LOG_FILE, readEventLog } from '../../../src/engine/workshop/event-log.js';
import type { WorkshopServer } from '../../../src/engine/workshop/server.js';
import { learnerWorkspace, outbox, raw, serve, T0, tempRoot, testClock } from './helpers.js';
import { cjkSpacingProblems } from '../i18n/cjk-spacing.js';

// Issue 15: the instructor's server and two learner laptops in one process, over real HTTP on
// 127.0.0.1. The server's clock is the test's; nothing sleeps.

let root: { dir: string; done: () => Promise<void> };
let servers: WorkshopServer[];
const lesson3 = { id: 'multi-stage', number: 3 };
const failing = (attempts: number) => ({
  passed: false,
  passedChecks: ['dockerfile.exists'],
  failedChecks: ['dockerfile.multi-stage', 'image.size'],
  attempts,
});
const passing = (attempts: number) => ({
  passed: true,
  passedChecks: ['dockerfile.exists', 'dockerfile.multi-stage', 'image.size'],
  failedChecks: [],
  attempts,
});

beforeEach(async () => {
  root = await tempRoot();
  servers = [];
});
afterEach(async () => {
  for (const s of servers) await s.close().catch(() => undefined);
  await root.done();
});

const start = async (clock: ReturnType<typeof testClock>, extra: Parameters<typeof serve>[2] = {}) => {
  const server = await serve(join(root.dir, 'room'), clock, extra);
  servers.push(server);
  return server;
};

/**
 * Records a verify as the engine's hook does (it starts sending in the background), then waits for
 * that send: a flush queued behind it. Returns what is left in the outbox and why.
 */
const verify = async (workspace: string, verdict: ReturnType<typeof failing>, at = new Date(T0)) => {
  await recordVerify(workspace, { lesson: lesson3, verdict, startedAt: new Date(T0 - 60_000).toISOString() }, { now: at });
  const { stopped } = await flushOutbox(workspace);
  return { queued: (await outbox(workspace)).length, ...(stopped ? { stopped } : {}) };
};

const join2 = async (server: WorkshopServer) => {
  const ada = await learnerWorkspace(root.dir, 'ada');
  const bo = await learnerWorkspace(root.dir, 'bo');
  const adaConfig = await joinWorkshop({ workspace: ada, url: server.url, code: server.code.toLowerCase(), name: 'Ada' });
  const boConfig = await joinWorkshop({ workspace: bo, url: server.url.replace('http://', ''), code: server.code, name: 'Bo' });
  expect(await announceJoin(ada, adaConfig, lesson3)).toEqual({ sent: 1, queued: 0 });
  expect(await announceJoin(bo, boConfig, lesson3)).toEqual({ sent: 1, queued: 0 });
  return { ada, bo, adaConfig, boConfig };
};

describe('workshop room: server and two learners', () => {
  it('joins two learners, counts their verifies and marks stuck by failures in a row and by minutes', async () => {
    const clock = testClock();
    const server = await start(clock);
    const { ada, bo, adaConfig } = await join2(server);
    expect(adaConfig.code).toBe(server.code);
    expect(server.room().learners.map((l) => [l.name, l.lesson.number, l.attempts, l.stuck])).toEqual([
      ['Ada', 3, 0, false],
      ['Bo', 3, 0, false],
    ]);

    for (const n of [1, 2]) expect(await verify(ada, failing(n))).toEqual({ queued: 0 });
    expect(server.room().learners.find((l) => l.name === 'Ada')?.stuck).toBe(false);
    await verify(ada, failing(3));
    await verify(bo, failing(1));
    let room = server.room();
    expect(room.learners.map((l) => [l.name, l.attempts, l.failedInARow, l.stuck])).toEqual([
      ['Ada', 3, 3, 'attempts'],
      ['Bo', 1, 1, false],
    ]);
    expect(room.failingChecks[0]).toEqual({ id: 'dockerfile.multi-stage', learners: 2, failures: 4 });
    expect(room.stuck).toBe(1);

    // Bo started a minute before his verify (lessonSeconds 60): 14 more minutes is 15 on the lesson.
    clock.advance(13 * 60_000);
    expect(server.room().learners.find((l) => l.name === 'Bo')?.stuck).toBe(false);
    clock.advance(60_000);
    expect(server.room().learners.find((l) => l.name === 'Bo')).toMatchObject({ minutes: 15, stuck: 'minutes' });

    // A pass clears the stuck mark, and the room JSON says the same to the instructor.
    await verify(ada, passing(4));
    const answer = await fetch(`${server.url}/v1/room`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(answer.status).toBe(200);
    room = (await answer.json()) as typeof room;
    expect(room.learners.map((l) => [l.name, l.passed, l.failedInARow, l.stuck])).toEqual([
      ['Ada', true, 0, false],
      ['Bo', false, 1, 'minutes'],
    ]);
    expect(room.failingChecks[0]).toEqual({ id: 'dockerfile.multi-stage', learners: 1, failures: 4 });
  });

  it('a learner who never joined sends nothing and keeps nothing', async () => {
    const lone = await learnerWorkspace(root.dir, 'lone');
    let calls = 0;
    const spy: FetchLike = async () => {
      calls += 1;
      return { status: 200, json: async () => ({}) };
    };
    await recordVerify(lone, { lesson: lesson3, verdict: failing(1) }, { fetchImpl: spy });
    expect(calls).toBe(0);
    expect(await outbox(lone)).toEqual([]);
  });

  it('a help request carries the Dockerfile and last verdict, only when asked, and a pass clears it', async () => {
    const server = await start(testClock());
    const { ada, bo } = await join2(server);
    await writeFile(join(bo, 'Dockerfile'), 'FROM golang:1.26 AS build\nRUN go build -o /server ./cmd/server\n');
    await verify(bo, failing(2));
    // Verify events never carry a file.
    const { events } = await readEventLog(join(root.dir, 'room'));
    expect(events.every((e) => !('dockerfile' in e.event))).toBe(true);

    const asked = await askForHelp({ workspace: bo, lesson: lesson3, lastVerdict: failing(2) });
    expect(asked.flush).toEqual({ sent: 1, queued: 0 });
    const noDockerfile = await askForHelp({ workspace: ada, lesson: lesson3, lastVerdict: null });
    expect(noDockerfile.event.dockerfile).toBeNull();

    let room = server.room();
    expect(room.helpPending).toBe(2);
    const help = room.learners.find((l) => l.name === 'Bo')?.help;
    expect(help?.dockerfile).toBe('FROM golang:1.26 AS build\nRUN go build -o /server ./cmd/server\n');
    expect(help?.lastVerdict).toEqual(failing(2));

    await verify(bo, passing(3));
    room = server.room();
    expect(room.learners.map((l) => [l.name, l.help !== null])).toEqual([
      ['Ada', true],
      ['Bo', false],
    ]);
  });

  it('a dropped network: events stay queued, the restarted server replays its log, the queue is delivered once', async () => {
    const clock = testClock();
    const first = await start(clock);
    const { ada } = await join2(first);
    await verify(ada, failing(1));
    const port = Number(new URL(first.url).port);
    await first.close();

    // Off the network: the verifies are not delayed past the flush budget and nothing is lost.
    const offline = await verify(ada, failing(2));
    expect(offline).toEqual({ queued: 1, stopped: 'unreachable' });
    await verify(ada, failing(3));
    expect(await outbox(ada)).toHaveLength(2);

    const second = await start(clock, { port });
    expect(second.replayed).toBe(3); // two joins and the first verify, from the log
    expect(second.code).toBe(first.code);
    expect(server(second, 'Ada')).toMatchObject({ attempts: 1, failedInARow: 1 });

    // An answer lost on the way back: the laptop sends the same event again. It counts once.
    const [queued] = await outbox(ada);
    const copy = join(root.dir, 'copy.json');
    await cp(join(ada, '.learn-go-docker', 'workshop-outbox', queued as string), copy);
    expect(await flushOutbox(ada)).toEqual({ sent: 2, queued: 0 });
    await cp(copy, join(ada, '.learn-go-docker', 'workshop-outbox', queued as string));
    expect(await flushOutbox(ada)).toEqual({ sent: 1, queued: 0 });
    expect(server(second, 'Ada')).toMatchObject({ attempts: 3, failedInARow: 3, stuck: 'attempts' });

    // The log holds each event once, in the order they happened.
    const { events } = await readEventLog(join(root.dir, 'room'));
    expect(events.filter((e) => e.event.type === 'verify').map((e) => (e.event as { attempts: number }).attempts)).toEqual([1, 2, 3]);
    const lines = (await readFile(join(root.dir, 'room', LOG_FILE), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(5);
  });

  it('after a verify the learner is told when the room did not take its result, and not when it did', async () => {
    const { workshopSendNotice } = await import('../../../src/engine/index.js');
    const clock = testClock();
    const first = await start(clock);
    const { ada } = await join2(first);
    await recordVerify(ada, { lesson: lesson3, verdict: failing(1) }, { now: new Date(T0) });
    expect(await workshopSendNotice(ada)).toBeUndefined();
    await first.close();
    await recordVerify(ada, { lesson: lesson3, verdict: failing(2) }, { now: new Date(T0) });
    // A refused connection answers at once: the send is over before the verify's clean-up is.
    await flushOutbox(ada);
    const notice = await workshopSendNotice(ada);
    expect(notice?.en).toBe(`The workshop server ${first.url} does not answer: 1 result(s) wait on this laptop and go with a later verify once it answers.`);
    expect(cjkSpacingProblems(notice?.['zh-CN'] ?? '')).toEqual([]);
    // A workspace that never joined hears nothing.
    expect(await workshopSendNotice(await learnerWorkspace(root.dir, 'lone'))).toBeUndefined();
  });

  it('survives a restart from its log, even one with a line torn by a crash', async () => {
    const clock = testClock();
    const first = await start(clock);
    const { ada, bo } = await join2(first);
    await verify(ada, failing(1));
    await verify(bo, passing(1));
    const before = first.room();
    const port = Number(new URL(first.url).port);
    await first.close();
    await writeFile(join(root.dir, 'room', LOG_FILE), '{"receivedAt":1,"event":{"sch', { flag: 'a' });

    const second = await start(clock, { port });
    expect(second.skipped).toBe(1);
    expect(second.room()).toEqual(before);
    // The next event starts on a line of its own: readable after one more restart.
    expect(await verify(ada, failing(2))).toEqual({ queued: 0 });
    await second.close();
    const third = await start(clock);
    expect(third.skipped).toBe(1);
    expect(server(third, 'Ada')).toMatchObject({ attempts: 2, failedInARow: 2 });
  });
});

const server = (s: WorkshopServer, name: string) => s.room().learners.find((l) => l.name === name);

describe('workshop room: what the server refuses', () => {
  const event = (config: WorkshopConfig) => JSON.stringify(verifyEventOf(config, { lesson: lesson3, verdict: failing(1) }, new Date(T0)));

  it('a wrong code or token is 401; a bad code at join is a clear one-line error', async () => {
    const s = await start(testClock());
    const { adaConfig } = await join2(s);
    const body = event(adaConfig);
    const headers = { 'content-type': 'application/json' };
    expect((await raw(s.url, { method: 'POST', path: '/v1/events', headers, body })).status).toBe(401);
    expect((await raw(s.url, { method: 'POST', path: '/v1/events', headers: { ...headers, 'x-workshop-code': 'AAAAAA' }, body })).status).toBe(401);
    expect((await raw(s.url, { method: 'POST', path: '/v1/events', headers: { ...headers, 'x-workshop-code': s.code }, body })).status).toBe(200);
    expect((await raw(s.url, { method: 'GET', path: '/v1/room', headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    // The join code is not the instructor's token: a learner cannot read the room (and its Dockerfiles).
    expect((await raw(s.url, { method: 'GET', path: '/v1/room', headers: { authorization: `Bearer ${s.code}`, 'x-workshop-code': s.code } })).status).toBe(401);

    const ws = await learnerWorkspace(root.dir, 'cy');
    const refused = await joinWorkshop({ workspace: ws, url: s.url, code: 'WRONG1', name: 'Cy' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserError);
    expect((refused as UserError).localized.en).toBe('The server refused the join code WRONG1.');
    expect((refused as UserError).localized['zh-CN']).toBe('服务器拒绝了加入码 WRONG1。');
  });

  it('an address that guesses codes is stopped before a right guess gets through', async () => {
    const s = await start(testClock());
    const headers = { 'x-workshop-code': 'ZZZZZZ' };
    const statuses = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await raw(s.url, { method: 'GET', path: '/v1/hello', headers })).status);
    expect(statuses.slice(0, 20).every((st) => st === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect((await raw(s.url, { method: 'GET', path: '/v1/hello', headers: { 'x-workshop-code': s.code } })).status).toBe(429);
  });

  it('join says when the server does not answer', async () => {
    const ws = await learnerWorkspace(root.dir, 'dee');
    const s = await start(testClock());
    const url = s.url;
    await s.close();
    const error = (await joinWorkshop({ workspace: ws, url, code: 'ABCDEF', name: 'Dee' }).catch((e: unknown) => e)) as UserError;
    expect(error).toBeInstanceOf(UserError);
    expect(error.localized.en).toBe(`The workshop server at ${url} does not answer.`);
    await expect(readFile(join(ws, '.learn-go-docker', 'workshop.json'))).rejects.toThrow(/ENOENT/);
  });

  it('an oversized body is 413, declared or not; malformed and unknown bodies are 400', async () => {
    const s = await start(testClock());
    const { adaConfig } = await join2(s);
    const headers = { 'content-type': 'application/json', 'x-workshop-code': s.code };
    const big = JSON.stringify({ ...JSON.parse(event(adaConfig)), pad: 'x'.repeat(70 * 1024) });
    expect((await raw(s.url, { method: 'POST', path: '/v1/events', headers, body: big })).status).toBe(413);
    expect((await raw(s.url, { method: 'POST', path: '/v1/events', headers, body: big, chunked: true })).status).toBe(413);
    expect((await raw(s.url, { method: 'POST', path: '/v1/events', headers, body: '{"type":' })).status).toBe(400);
    const extra = await raw(s.url, { method: 'POST', path: '/v1/events', headers, body: JSON.stringify({ ...JSON.parse(event(adaConfig)), extra: 1 }) });
    expect(extra.status).toBe(400);
    expect(extra.body).toMatch(/unrecognized key/);
    const sneaky = JSON.stringify({ ...JSON.parse(event(adaConfig)), name: 'Ada\u001b]0;owned\u0007' });
    expect((await raw(s.url, { method: 'POST', path: '/v1/events', headers, body: sneaky })).status).toBe(400);
    // None of those reached the room.
    expect(server(s, 'Ada')).toMatchObject({ attempts: 0 });
  });

  it('rate-limits each learner; a refused event stays queued and goes later', async () => {
    const clock = testClock();
    const s = await start(clock, { rate: { burst: 3, perSecond: 0.1 } });
    const ada = await learnerWorkspace(root.dir, 'ada');
    const config = await joinWorkshop({ workspace: ada, url: s.url, code: s.code, name: 'Ada' });
    for (const n of [1, 2, 3, 4]) await queueEvent(ada, verifyEventOf(config, { lesson: lesson3, verdict: failing(n) }, new Date(T0 + n)), new Date(T0 + n));
    expect(await flushOutbox(ada)).toEqual({ sent: 3, queued: 1, stopped: 'busy' });
    expect(await outbox(ada)).toHaveLength(1);
    clock.advance(10_000);
    expect(await flushOutbox(ada)).toEqual({ sent: 1, queued: 0 });
    expect(server(s, 'Ada')).toMatchObject({ attempts: 4 });
  });
});

describe('workshop room: the address it prints', () => {
  it('on every network (0.0.0.0) it prints an address a learner can type, and it answers there', async () => {
    const s = await start(testClock(), { host: '0.0.0.0' });
    expect(s.url).not.toContain('0.0.0.0');
    expect(s.url).toMatch(/^http:\/\/[\d.]+:\d+$/);
    expect((await raw(s.url, { method: 'GET', path: '/v1/hello', headers: { 'x-workshop-code': s.code } })).status).toBe(200);
  });
});
