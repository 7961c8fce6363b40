import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/engine/errors.js';
import { normalizeServerUrl, verifyEventOf, type WorkshopConfig } from '../../../src/engine/workshop/client.js';
import type { LoggedEvent } from '../../../src/engine/workshop/event-log.js';
import { roomCsv, roomMarkdown } from '../../../src/engine/workshop/export.js';
import { defaultWorkshopHost } from '../../../src/engine/workshop/host.js';
import { parseEvent, type WorkshopEvent } from '../../../src/engine/workshop/protocol.js';
import { rateLimiter } from '../../../src/engine/workshop/rate-limit.js';
import { computeRoom } from '../../../src/engine/workshop/room.js';
import { loadOrCreateSession, normalizeCode, SESSION_FILE } from '../../../src/engine/workshop/session.js';
import { T0, tempRoot } from './helpers.js';
import { cjkSpacingProblems, markdownProse } from '../i18n/cjk-spacing.js';

const ada: WorkshopConfig = { version: 1, url: 'http://x', code: 'ABCDEF', name: 'Ada', learnerId: 'learner-ada-0001' };
const lesson = (number: number) => ({ id: `lesson-${number}`, number });
const verdict = (passed: boolean, attempts: number, failed: string[] = passed ? [] : ['image.size']) => ({
  passed,
  passedChecks: [],
  failedChecks: failed,
  attempts,
});

/** A verify event of `who` arriving at T0 + `minute` minutes, having started the lesson `startedMinute`. */
const verifyAt = (who: WorkshopConfig, number: number, v: ReturnType<typeof verdict>, minute: number, startedMinute = 0): LoggedEvent => ({
  receivedAt: T0 + minute * 60_000,
  event: verifyEventOf(
    who,
    { lesson: lesson(number), verdict: v, startedAt: new Date(T0 + startedMinute * 60_000).toISOString() },
    new Date(T0 + minute * 60_000),
  ),
});

const help = (
  who: WorkshopConfig,
  number: number,
  dockerfile: string | null,
  minute: number,
  lastVerdict: ReturnType<typeof verdict> | null = null,
): LoggedEvent => {
  const { schema, version, id, learnerId, name, at } = verifyEventOf(who, { lesson: lesson(number), verdict: verdict(false, 1) }, new Date(T0));
  const event: WorkshopEvent = { schema, version, id, learnerId, name, at, lesson: lesson(number), type: 'help', dockerfile, lastVerdict };
  expect(parseEvent(event).ok).toBe(true);
  return { receivedAt: T0 + minute * 60_000, event };
};

describe('the room, computed from events', () => {
  it('counts failures in a row per lesson; moving on starts again; a pass is never stuck', () => {
    const events = [verifyAt(ada, 3, verdict(false, 1), 1), verifyAt(ada, 3, verdict(false, 2), 2), verifyAt(ada, 3, verdict(false, 3), 3)];
    expect(computeRoom(events, T0 + 3 * 60_000).learners[0]).toMatchObject({ failedInARow: 3, stuck: 'attempts' });
    expect(computeRoom(events, T0, { failedInARow: 4, minutes: 15 }).learners[0]?.stuck).toBe(false);
    const moved = [...events, verifyAt(ada, 4, verdict(false, 1), 4, 4)];
    expect(computeRoom(moved, T0 + 4 * 60_000).learners[0]).toMatchObject({ lesson: lesson(4), attempts: 1, failedInARow: 1, stuck: false });
    const passed = [...events, verifyAt(ada, 3, verdict(true, 4), 30)];
    expect(computeRoom(passed, T0 + 60 * 60_000).learners[0]).toMatchObject({ passed: true, failedInARow: 0, stuck: false });
  });

  it('counts minutes from when the learner started the lesson, by their laptop, and keeps counting between verifies', () => {
    // Started at minute 0, first verify at minute 5: 5 minutes then, 15 at minute 15 with no event since.
    const events = [verifyAt(ada, 2, verdict(false, 1), 5, 0)];
    expect(computeRoom(events, T0 + 14 * 60_000).learners[0]).toMatchObject({ minutes: 14, stuck: false });
    expect(computeRoom(events, T0 + 15 * 60_000).learners[0]).toMatchObject({ minutes: 15, stuck: 'minutes' });
  });

  it('a help request stays pending until its lesson is passed, and the checks failing most come first', () => {
    const bo = { ...ada, name: 'Bo', learnerId: 'learner-bo-00001' };
    const events = [
      verifyAt(ada, 2, verdict(false, 1, ['a.check', 'b.check']), 1),
      verifyAt(bo, 2, verdict(false, 1, ['b.check']), 1),
      verifyAt(bo, 2, verdict(false, 2, ['b.check']), 2),
      help(ada, 2, 'FROM x\n', 3),
    ];
    const room = computeRoom(events, T0 + 3 * 60_000);
    expect(room.failingChecks).toEqual([
      { id: 'b.check', learners: 2, failures: 3 },
      { id: 'a.check', learners: 1, failures: 1 },
    ]);
    expect(room.helpPending).toBe(1);
    const after = computeRoom([...events, verifyAt(ada, 2, verdict(true, 2), 4)], T0 + 4 * 60_000);
    expect(after.helpPending).toBe(0);
    expect(after.failingChecks[0]).toEqual({ id: 'b.check', learners: 1, failures: 3 });
  });
});

describe('exports', () => {
  const mallory = { ...ada, name: '=HYPERLINK("http://x","a|b")', learnerId: 'learner-mal-0001' };

  it('CSV quotes what needs it and defuses spreadsheet formulas', () => {
    const csv = roomCsv(computeRoom([verifyAt(mallory, 1, verdict(false, 1, ['x.y', 'z#w']), 1)], T0 + 60_000));
    const [, row] = csv.split('\n');
    expect(row).toBe(`"'=HYPERLINK(""http://x"",""a|b"")",learner-mal-0001,1,lesson-1,false,1,1,1,,false,x.y z#w`);
  });

  it('Markdown escapes pipes and fences a Dockerfile so its own backticks cannot close the block', () => {
    const dockerfile = 'FROM golang\nRUN echo "```"\n';
    const md = roomMarkdown(computeRoom([verifyAt(mallory, 1, verdict(false, 1), 1), help(mallory, 1, dockerfile, 2)], T0 + 2 * 60_000));
    expect(md).toContain('| =HYPERLINK("http://x","a\\|b") | 1 (lesson-1) | no | 1 | 1 | 2 |  | yes |');
    expect(md).toContain('````dockerfile\nFROM golang\nRUN echo "```"\n````');
  });

  it('Markdown in Chinese says the same, spaced by the course rule', () => {
    const failed = verdict(false, 1, ['http.probe']);
    const room = computeRoom([verifyAt(ada, 1, failed, 1), help(ada, 1, 'FROM golang\n', 2, failed)], T0 + 2 * 60_000);
    const md = roomMarkdown(room, 'zh-CN');
    expect(md).toContain('1 名学员，0 名卡住，1 名在求助。');
    expect(md).toContain('## 求助请求');
    expect(md).toContain('最近一次校验：第 1 次尝试后仍失败；失败的检查：`http.probe`。');
    expect(cjkSpacingProblems(markdownProse(md))).toEqual([]);
    expect(roomMarkdown(room)).toContain('Last verify: failed after 1 attempt; failing: `http.probe`.');
  });
});

describe('protocol, session and addresses', () => {
  const valid = () => JSON.parse(JSON.stringify(verifyAt(ada, 3, verdict(false, 2, ['http.probe#ping']), 1).event)) as Record<string, unknown>;

  it('accepts a valid event and refuses anything else', () => {
    expect(parseEvent(valid()).ok).toBe(true);
    expect(parseEvent({ ...valid(), version: 2 })).toMatchObject({ ok: false });
    expect(parseEvent({ ...valid(), type: 'delete' })).toEqual({ ok: false, error: 'type must be "join", "verify" or "help"' });
    expect(parseEvent({ ...valid(), failedChecks: Array.from({ length: 101 }, (_, i) => `c${i}`) })).toMatchObject({ ok: false });
    expect(parseEvent({ ...valid(), name: 'x'.repeat(61) })).toMatchObject({ ok: false });
    expect(parseEvent({ ...valid(), dockerfile: 'FROM x' })).toMatchObject({ ok: false, error: expect.stringMatching(/unrecognized key/) });
    const asked = help(ada, 3, 'FROM x\n', 1).event;
    expect(parseEvent({ ...asked, dockerfile: 'x'.repeat(48 * 1024) }).ok).toBe(true);
    expect(parseEvent({ ...asked, dockerfile: 'x'.repeat(48 * 1024 + 1) })).toEqual({ ok: false, error: 'dockerfile: Dockerfile too long' });
    expect(parseEvent(null)).toMatchObject({ ok: false });
    expect(parseEvent([])).toMatchObject({ ok: false });
  });

  it('the rate limiter lets a burst through, then one per interval', () => {
    let now = 0;
    const limiter = rateLimiter({ burst: 2, perSecond: 1, now: () => now });
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('b')]).toEqual([true, true, false, true]);
    now = 999;
    expect(limiter.allows('a')).toBe(false);
    now = 1000;
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
  });

  describe('session', () => {
    let root: { dir: string; done: () => Promise<void> };
    beforeEach(async () => (root = await tempRoot()));
    afterEach(() => root.done());

    it('keeps its code across restarts, replaces a damaged file, and types forgivingly', async () => {
      const first = await loadOrCreateSession(root.dir, new Date(T0));
      expect(first.created).toBe(true);
      expect(first.session.code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
      expect((await loadOrCreateSession(root.dir, new Date(T0))).session).toEqual(first.session);
      await writeFile(join(root.dir, SESSION_FILE), '{"code":');
      const replaced = await loadOrCreateSession(root.dir, new Date(T0));
      expect(replaced.created).toBe(true);
      expect(JSON.parse(await readFile(join(root.dir, SESSION_FILE), 'utf8')).code).toBe(replaced.session.code);
      expect(normalizeCode(' k7m-4qx ')).toBe('K7M4QX');
    });
  });

  it('normalizes the server address learners type, and refuses what is not one', () => {
    expect(normalizeServerUrl('192.168.1.20:8787')).toBe('http://192.168.1.20:8787');
    expect(normalizeServerUrl('http://192.168.1.20:8787/')).toBe('http://192.168.1.20:8787');
    expect(normalizeServerUrl('https://room.example')).toBe('https://room.example');
    expect(() => normalizeServerUrl('file:///etc/passwd')).toThrow(UserError);
    expect(() => normalizeServerUrl('http://')).toThrow(UserError);
  });

  it('listens by default on the first network address, else loopback', () => {
    const lo = { address: '127.0.0.1', family: 'IPv4', internal: true } as never;
    const wifi = { address: '192.168.1.20', family: 'IPv4', internal: false } as never;
    const v6 = { address: 'fe80::1', family: 'IPv6', internal: false } as never;
    expect(defaultWorkshopHost({ lo: [lo], wlan0: [v6, wifi] })).toBe('192.168.1.20');
    expect(defaultWorkshopHost({ lo: [lo], eth0: [v6] })).toBe('127.0.0.1');
  });
});

describe('the room log on disk', () => {
  it('is readable by the instructor alone: help requests carry learners Dockerfiles', async () => {
    const { mkdtemp, stat, chmod: chmodFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { openEventLog, LOG_FILE } = await import('../../../src/engine/workshop/event-log.js');
    const dir = await mkdtemp(join(tmpdir(), 'lgd-log-mode-'));
    try {
      const log = await openEventLog(dir);
      await log.close();
      expect((await stat(join(dir, LOG_FILE))).mode & 0o777).toBe(0o600);
      // A log made by an older version (644) is tightened when the room opens again.
      await chmodFile(join(dir, LOG_FILE), 0o644);
      await (await openEventLog(dir)).close();
      expect((await stat(join(dir, LOG_FILE))).mode & 0o777).toBe(0o600);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
