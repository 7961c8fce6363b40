import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { L } from '../i18n.js';
import { UserError } from '../errors.js';
import { readIfExists, writeFileAtomic } from '../util/files.js';
import { readTextFile } from '../util/safe-read.js';
import {
  CODE_HEADER,
  EVENT_SCHEMA,
  EVENT_VERSION,
  MAX_DOCKERFILE_CHARS,
  SERVER_SCHEMA,
  isId,
  parseEvent,
  type HelpEvent,
  type Verdict,
  type WorkshopEvent,
} from './protocol.js';
import { isRoomProxyUrl } from './room-proxy.js';
import { normalizeCode } from './session.js';

/**
 * The learner's side. `join` stores where the room is in `.learn-go-docker/workshop.json`; each
 * verify then writes one event into `.learn-go-docker/workshop-outbox/` (a file per event, written
 * atomically) and tries to send the queue. A file leaves the outbox only after the server said it
 * has the event on disk, so a laptop off the network keeps everything and the next flush sends it,
 * in order. The server ignores an event id it has, so sending twice is harmless.
 * Only runner state is written here: never a file of the learner's lesson.
 */

const STATE_DIR = '.learn-go-docker';
export const WORKSHOP_FILE = 'workshop.json';
export const OUTBOX_DIR = 'workshop-outbox';
/** Events the server refused as malformed: kept for a look, out of the queue so they do not block it. */
export const REJECTED_DIR = 'workshop-rejected';
/** A flush after a verify gives up after this long; the events wait for the next one. */
export const FLUSH_TIMEOUT_MS = 2000;

export interface WorkshopConfig {
  readonly version: 1;
  readonly url: string;
  readonly code: string;
  readonly name: string;
  readonly learnerId: string;
  /**
   * The room's Go module proxy (http://192.168.1.20:8787/goproxy/), when the server announced one:
   * lesson builds put it first in GOPROXY (room-proxy.ts reads it, without loading this file).
   */
  readonly goproxy?: string;
}

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
) => Promise<{ status: number; json(): Promise<unknown> }>;

const realFetch: FetchLike = (url, init) => fetch(url, init);

const configPath = (workspace: string): string => join(workspace, STATE_DIR, WORKSHOP_FILE);
const outboxPath = (workspace: string): string => join(workspace, STATE_DIR, OUTBOX_DIR);

export const newId = (): string => randomBytes(12).toString('base64url');

export const readWorkshopConfig = async (workspace: string): Promise<WorkshopConfig | undefined> => {
  const data = await readIfExists(configPath(workspace));
  if (!data) return undefined;
  try {
    const raw = JSON.parse(data.toString('utf8')) as Partial<WorkshopConfig>;
    if (
      typeof raw.url !== 'string' ||
      typeof raw.code !== 'string' ||
      typeof raw.name !== 'string' ||
      typeof raw.learnerId !== 'string' ||
      !isId(raw.learnerId)
    )
      return undefined;
    const goproxy = typeof raw.goproxy === 'string' && isRoomProxyUrl(raw.goproxy) ? { goproxy: raw.goproxy } : {};
    return { version: 1, url: raw.url, code: raw.code, name: raw.name, learnerId: raw.learnerId, ...goproxy };
  } catch {
    return undefined;
  }
};

/** "192.168.1.20:8787" or "http://192.168.1.20:8787/" → "http://192.168.1.20:8787"; anything else is refused. */
export const normalizeServerUrl = (typed: string): string => {
  const withScheme = /^[a-z]+:\/\//i.test(typed) ? typed : `http://${typed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    url = new URL('invalid://');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname)
    throw new UserError(L(`"${typed}" is not a server address.`, `"${typed}" 不是服务器地址。`), {
      next: L('Type the address the instructor shows, e.g. http://192.168.1.20:8787', '输入讲师屏幕上显示的地址，例如 http://192.168.1.20:8787'),
    });
  return `${url.protocol}//${url.host}`;
};

/**
 * The room proxy's URL from what /v1/hello said: a path on the server the learner reached ("/goproxy/"),
 * joined to that address. Anything else (another host, a query, odd characters) is ignored: the
 * server names where its own proxy is, never where a laptop's builds should fetch from elsewhere.
 */
export const roomProxyUrl = (said: unknown, server: string): string | undefined => {
  if (typeof said !== 'string' || !said.startsWith('/')) return undefined;
  const url = `${server}${said}`;
  return isRoomProxyUrl(url) ? url : undefined;
};

const unreachable = (url: string, cause: unknown): UserError =>
  new UserError(L(`The workshop server at ${url} does not answer.`, `${url} 上的工作坊服务器没有响应。`), {
    cause,
    next: L(
      'Check the address on the instructor’s screen and that this laptop is on the same network (Wi-Fi), then join again.',
      '核对讲师屏幕上的地址，并确认这台电脑在同一个网络（Wi-Fi）中，然后重新加入。',
    ),
  });

/**
 * `join`: asks the server whether the code is right, then stores the room. Joining again keeps the
 * learner id, so the instructor's row stays one row.
 */
export const joinWorkshop = async (options: {
  workspace: string;
  url: string;
  code: string;
  name: string;
  fetchImpl?: FetchLike;
  timeoutMs?: number;
}): Promise<WorkshopConfig> => {
  const url = normalizeServerUrl(options.url);
  const code = normalizeCode(options.code);
  const name = options.name.trim();
  if (!name || name.length > 60 || /[\u0000-\u001f\u007f-\u009f]/.test(name))
    throw new UserError(L('Give a name of 1 to 60 characters: --name "Ada L."', '请给出 1 到 60 个字符的名字：--name "Ada L."'));
  const fetchImpl = options.fetchImpl ?? realFetch;
  let answer: { status: number; json(): Promise<unknown> };
  try {
    answer = await fetchImpl(`${url}/v1/hello`, { method: 'GET', headers: { [CODE_HEADER]: code }, signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
  } catch (error) {
    throw unreachable(url, error);
  }
  if (answer.status === 401)
    throw new UserError(L(`The server refused the join code ${code}.`, `服务器拒绝了加入码 ${code}。`), {
      next: L('Check the code on the instructor’s screen and type it again.', '核对讲师屏幕上的加入码后重新输入。'),
    });
  if (answer.status === 429)
    throw new UserError(L('Too many wrong codes from this laptop: wait a minute, then join again.', '这台电脑输错加入码的次数太多：请等一分钟再加入。'));
  const body = (await answer.json().catch(() => undefined)) as { schema?: unknown; goproxy?: unknown } | undefined;
  if (answer.status !== 200 || body?.schema !== SERVER_SCHEMA)
    throw new UserError(L(`${url} answered, but it is not a learn-go-docker workshop server.`, `${url} 有响应，但它不是 learn-go-docker 工作坊服务器。`), {
      next: L('Check the address on the instructor’s screen.', '核对讲师屏幕上的地址。'),
    });
  const previous = await readWorkshopConfig(options.workspace);
  // Joining again takes what the server says now: a room that stopped serving modules drops the proxy.
  const goproxy = roomProxyUrl(body.goproxy, url);
  const config: WorkshopConfig = { version: 1, url, code, name, learnerId: previous?.learnerId ?? newId(), ...(goproxy ? { goproxy } : {}) };
  // 600: the code lets anyone post as a member of the room.
  await writeFileAtomic(configPath(options.workspace), `${JSON.stringify(config, null, 2)}\n`, 0o600);
  return config;
};

/** The fields every event shares. */
const envelope = (config: WorkshopConfig, lesson: { id: string; number: number }, now: Date) => ({
  schema: EVENT_SCHEMA as typeof EVENT_SCHEMA,
  version: EVENT_VERSION as typeof EVENT_VERSION,
  id: newId(),
  learnerId: config.learnerId,
  name: config.name,
  at: now.toISOString(),
  lesson: { id: lesson.id, number: lesson.number },
});

export const joinEventOf = (config: WorkshopConfig, lesson: { id: string; number: number }, now: Date): WorkshopEvent => ({
  ...envelope(config, lesson, now),
  type: 'join',
});

export interface VerifiedLesson {
  readonly lesson: { readonly id: string; readonly number: number };
  readonly verdict: Verdict;
  /** When the learner started the lesson (progress), if known. */
  readonly startedAt?: string;
}

export const verifyEventOf = (config: WorkshopConfig, verified: VerifiedLesson, now: Date): WorkshopEvent => {
  const started = verified.startedAt ? Date.parse(verified.startedAt) : NaN;
  const lessonSeconds = Number.isFinite(started) ? Math.max(0, Math.round((now.getTime() - started) / 1000)) : 0;
  return { ...envelope(config, verified.lesson, now), type: 'verify', ...verified.verdict, lessonSeconds };
};

let sequence = 0;

/** Puts an event in the outbox: its own file, written atomically, named so the names sort in order. */
export const queueEvent = async (workspace: string, event: WorkshopEvent, now = new Date()): Promise<void> => {
  sequence = (sequence + 1) % 1_000_000;
  const name = `${String(now.getTime()).padStart(15, '0')}-${String(sequence).padStart(6, '0')}-${event.id}.json`;
  await writeFileAtomic(join(outboxPath(workspace), name), JSON.stringify(event));
};

export interface FlushResult {
  readonly sent: number;
  /** Still in the outbox. */
  readonly queued: number;
  /** Why the flush stopped before the queue was empty. */
  readonly stopped?: 'not-joined' | 'unreachable' | 'refused' | 'busy';
}

const queuedFiles = async (workspace: string): Promise<string[]> =>
  (await fs.readdir(outboxPath(workspace)).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();

const sendQueue = async (workspace: string, fetchImpl: FetchLike, timeoutMs: number): Promise<FlushResult> => {
  const config = await readWorkshopConfig(workspace);
  const files = await queuedFiles(workspace);
  if (!config) return { sent: 0, queued: files.length, stopped: 'not-joined' };
  const deadline = Date.now() + timeoutMs;
  let sent = 0;
  for (const [index, file] of files.entries()) {
    const path = join(outboxPath(workspace), file);
    const data = await readIfExists(path);
    if (!data) continue; // another flush sent it meanwhile
    const left = deadline - Date.now();
    if (left <= 0) return { sent, queued: files.length - index, stopped: 'unreachable' };
    let status: number;
    try {
      const answer = await fetchImpl(`${config.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [CODE_HEADER]: config.code },
        body: data.toString('utf8'),
        signal: AbortSignal.timeout(left),
      });
      status = answer.status;
    } catch {
      return { sent, queued: files.length - index, stopped: 'unreachable' };
    }
    if (status === 200) {
      await fs.rm(path, { force: true });
      sent += 1;
    } else if (status === 400 || status === 413) {
      // The server will never take this one: set it aside (kept), so it does not hold up the rest.
      await fs.mkdir(join(workspace, STATE_DIR, REJECTED_DIR), { recursive: true });
      await fs.rename(path, join(workspace, STATE_DIR, REJECTED_DIR, file));
    } else {
      // 401 (the room's code changed), 429, 5xx: everything stays, in order, for a later flush.
      return { sent, queued: files.length - index, stopped: status === 401 ? 'refused' : status === 429 ? 'busy' : 'unreachable' };
    }
  }
  return { sent, queued: 0 };
};

const flushing = new Map<string, Promise<FlushResult>>();

/** The last send to the room this process started for a workspace: in flight, or done. */
const lastFlush = new Map<string, Promise<FlushResult>>();

/**
 * The last send to the room for this workspace (started by the last verify), in flight or done: a
 * room that refuses the connection answers in milliseconds, before the verify's clean-up ends.
 */
export const lastFlushOf = (workspace: string): Promise<FlushResult> | undefined => lastFlush.get(workspace);

/**
 * Sends the outbox in order, within `timeoutMs` in all. One flush at a time per workspace in this
 * process (a second waits for the first, then runs: events queued meanwhile are not left behind).
 */
export const flushOutbox = (workspace: string, options: { fetchImpl?: FetchLike; timeoutMs?: number } = {}): Promise<FlushResult> => {
  const before = flushing.get(workspace) ?? Promise.resolve(undefined);
  const run = before.catch(() => undefined).then(() => sendQueue(workspace, options.fetchImpl ?? realFetch, options.timeoutMs ?? FLUSH_TIMEOUT_MS));
  flushing.set(workspace, run);
  lastFlush.set(workspace, run);
  void run.finally(() => {
    if (flushing.get(workspace) === run) flushing.delete(workspace);
  });
  return run;
};

/**
 * After a verify (the engine's hook): queue the event, start sending, return. Nothing here may
 * delay or fail a verify: errors are swallowed, and an event not sent stays queued.
 */
export const recordVerify = async (workspace: string, verified: VerifiedLesson, options: { fetchImpl?: FetchLike; now?: Date } = {}): Promise<void> => {
  try {
    const config = await readWorkshopConfig(workspace);
    if (!config) return;
    await queueEvent(workspace, verifyEventOf(config, verified, options.now ?? new Date()));
    void flushOutbox(workspace, { fetchImpl: options.fetchImpl }).catch(() => undefined);
  } catch {
    // The verify's verdict is the learner's; the instructor's view may miss one event.
  }
};

const notJoined = (): UserError =>
  new UserError(L('This workspace has not joined a workshop.', '这个工作区还没有加入工作坊。'), {
    next: L(
      'Join with the address and code on the instructor’s screen: npx learn-go-docker join URL CODE',
      '用讲师屏幕上的地址和加入码加入：npx learn-go-docker join URL CODE',
    ),
  });

/**
 * `ask`: the learner's Dockerfile (read through the guarded reader: no link out of the workspace)
 * and last verdict, queued and sent now. The only event that carries a file, and only on request.
 */
export const askForHelp = async (options: {
  workspace: string;
  lesson: { id: string; number: number };
  lastVerdict: Verdict | null;
  fetchImpl?: FetchLike;
  now?: Date;
}): Promise<{ event: HelpEvent; flush: FlushResult }> => {
  const config = await readWorkshopConfig(options.workspace);
  if (!config) throw notJoined();
  const dockerfile =
    (await readTextFile(join(options.workspace, 'Dockerfile'), { root: options.workspace, shown: 'Dockerfile', maxBytes: MAX_DOCKERFILE_CHARS })) ?? null;
  const event: HelpEvent = { ...envelope(config, options.lesson, options.now ?? new Date()), type: 'help', dockerfile, lastVerdict: options.lastVerdict };
  // Our own events must pass the server's validation; a bug here is found on the laptop, not there.
  if (!parseEvent(event).ok) throw new Error(`invalid help event: ${JSON.stringify(parseEvent(event))}`);
  await queueEvent(options.workspace, event, options.now);
  const flush = await flushOutbox(options.workspace, { fetchImpl: options.fetchImpl, timeoutMs: 5000 });
  return { event, flush };
};

/** `join`'s first event (the instructor sees the learner arrive), queued and sent. */
export const announceJoin = async (
  workspace: string,
  config: WorkshopConfig,
  lesson: { id: string; number: number },
  fetchImpl?: FetchLike,
): Promise<FlushResult> => {
  await queueEvent(workspace, joinEventOf(config, lesson, new Date()));
  return flushOutbox(workspace, { fetchImpl, timeoutMs: 5000 });
};
