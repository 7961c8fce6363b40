import { promises as fs } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { L } from '../i18n.js';
import { writeFileAtomic } from '../util/files.js';
import { UserError } from '../errors.js';
import { defaultWorkshopHost } from './host.js';
import { openEventLog, readEventLog, type LoggedAllowance, type LoggedEvent } from './event-log.js';
import { GOPROXY_ROUTE, serveGoproxy } from './goproxy.js';
import { CODE_HEADER, EVENT_VERSION, SERVER_SCHEMA, parseEvent } from './protocol.js';
import { rateLimiter } from './rate-limit.js';
import { computeRoom, DEFAULT_STUCK, type RoomState, type StuckRule } from './room.js';
import { instructorToken, loadOrCreateSession, normalizeCode, sameSecret } from './session.js';
import { SOLUTIONS_PATH, currentAllowance, isAllowed, parseAllowance, type SolutionsUpTo } from './solutions.js';

/**
 * The instructor's server (node:http, no framework). Learners POST events with the join code; the
 * instructor GETs the room with the token. Every accepted event is on disk before it is
 * acknowledged; an event id seen before is acknowledged again and not counted twice, so a laptop
 * that replays after a lost answer changes nothing.
 */

/** A verify event is ~1 KB; a help request carries a Dockerfile (cut at 48 KiB). */
export const DEFAULT_BODY_LIMIT = 64 * 1024;
export const TOKEN_FILE = 'instructor-token';
/**
 * Where a running server says its address (mode 600, removed when it stops): `workshop allow`, run
 * in another terminal, finds the server of a room folder without being told its port.
 */
export const SERVER_FILE = 'server.json';
/** An allowance body is a dozen bytes. */
const ALLOW_BODY_LIMIT = 1024;
/**
 * Module proxy requests per address: one `go mod download` of the sample app is ~110 requests at
 * once (an .info, .mod and .zip a module), so the burst holds several; a loop fetching without
 * pause is held to 100 a second. A 429 makes `go` try the learner's next proxy, never fail the room.
 */
export const GOPROXY_RATE = { burst: 1000, perSecond: 100 } as const;

export interface WorkshopServerOptions {
  readonly dir: string;
  readonly host: string;
  /** 0: any free port (tests). */
  readonly port: number;
  readonly now?: () => number;
  readonly stuck?: StuckRule;
  readonly bodyLimit?: number;
  /** Per learner: events at once, then per second. */
  readonly rate?: { readonly burst: number; readonly perSecond: number };
  /**
   * The folder of the room's Go module proxy (the module download cache's layout, filled by
   * room-modules.ts): served read-only under /goproxy/ and announced by /v1/hello. Absent: no proxy.
   */
  readonly goproxyDir?: string;
  /** Per address, for the module proxy (default GOPROXY_RATE). */
  readonly goproxyRate?: { readonly burst: number; readonly perSecond: number };
}

export interface WorkshopServer {
  /** The exact address learners use, e.g. http://192.168.1.20:8787. */
  readonly url: string;
  readonly code: string;
  readonly token: string;
  /** Where the token is written for the instructor's scripts (it is not printed). */
  readonly tokenFile: string;
  /** The room's Go module proxy as learners' builds reach it (http://192.168.1.20:8787/goproxy/), when served. */
  readonly goproxy?: string;
  /** Events read back from the log at start (the room survived a restart). */
  readonly replayed: number;
  /** Unreadable log lines skipped at start. */
  readonly skipped: number;
  room(): RoomState;
  /** Which solutions the instructor has opened (0 until `workshop allow`). */
  solutions(): SolutionsUpTo;
  /** Called after each accepted event. Returns the unsubscribe. */
  onEvent(listener: () => void): () => void;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const send = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
};

/** The body, or a 413 as soon as it passes the limit (the declared length is refused before a byte is read). */
const readBody = (req: IncomingMessage, limit: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new HttpError(413, `body over ${limit} bytes`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, `body over ${limit} bytes`));
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const listenError = (error: NodeJS.ErrnoException, host: string, port: number): UserError => {
  if (error.code === 'EADDRINUSE')
    return new UserError(L(`Port ${port} is already in use on ${host}.`, `${host} 上的端口 ${port} 已被占用。`), {
      next: L('Choose another: npx learn-go-docker workshop serve --port 8788', '换一个端口：npx learn-go-docker workshop serve --port 8788'),
    });
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND')
    return new UserError(L(`${host} is not an address of this machine.`, `${host} 不是这台机器的地址。`), {
      next: L(
        'Leave out --host to use the first network address, or give one from `ip addr`/`ipconfig`.',
        '去掉 --host 使用第一个网络地址，或者从 `ip addr`/`ipconfig` 中选一个。',
      ),
    });
  if (error.code === 'EACCES')
    return new UserError(L(`Port ${port} needs administrator rights on this machine.`, `端口 ${port} 在这台机器上需要管理员权限。`), {
      next: L('Use a port above 1024: --port 8787', '使用 1024 以上的端口：--port 8787'),
    });
  return new UserError(
    L(`The workshop server could not start on ${host}:${port}: ${error.message}`, `工作坊服务器无法在 ${host}:${port} 上启动：${error.message}`),
  );
};

/** The address learners type: for a server on every network (0.0.0.0, ::), the one they most likely share. */
const urlOf = (host: string, port: number): string => {
  const shown = host === '0.0.0.0' || host === '::' ? defaultWorkshopHost() : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
};

export const startWorkshopServer = async (options: WorkshopServerOptions): Promise<WorkshopServer> => {
  const now = options.now ?? Date.now;
  const limit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const { session } = await loadOrCreateSession(options.dir, new Date(now()));
  const token = instructorToken(session);
  // The token lives in a file (mode 600), never on the screen: the terminal with the join code is
  // often the one on the projector, and the token reads every learner's Dockerfile.
  const tokenFile = join(options.dir, TOKEN_FILE);
  await writeFileAtomic(tokenFile, `${token}\n`, 0o600);
  const { events, allowances, skipped } = await readEventLog(options.dir);
  const seen = new Set(events.map((e) => e.event.id));
  const log = await openEventLog(options.dir);
  const perLearner = rateLimiter({ burst: options.rate?.burst ?? 60, perSecond: options.rate?.perSecond ?? 1, now });
  // Wrong codes per address: 20 guesses, then one every 5 s; a blocked address gets 429 before its code is looked at.
  const guesses = rateLimiter({ burst: 20, perSecond: 0.2, now });
  const listeners = new Set<() => void>();
  const goproxyFetches = rateLimiter({ ...(options.goproxyRate ?? GOPROXY_RATE), now });

  const codeOk = (req: IncomingMessage): boolean => {
    const given = req.headers[CODE_HEADER];
    return typeof given === 'string' && sameSecret(normalizeCode(given), session.code);
  };
  const tokenOk = (req: IncomingMessage): boolean => {
    const auth = req.headers.authorization ?? '';
    return auth.startsWith('Bearer ') && sameSecret(auth.slice('Bearer '.length).trim(), token);
  };
  const authorize = (req: IncomingMessage, ok: boolean): void => {
    const address = req.socket.remoteAddress ?? '?';
    if (!guesses.allows(address)) throw new HttpError(429, 'too many wrong codes; wait a minute');
    if (!ok) {
      guesses.take(address);
      throw new HttpError(401, 'wrong join code or token');
    }
  };

  const accept = async (entry: LoggedEvent): Promise<boolean> => {
    if (seen.has(entry.event.id)) return false;
    seen.add(entry.event.id);
    try {
      await log.append(entry);
    } catch (error) {
      // Not on disk: not accepted, so the laptop keeps it and sends it again.
      seen.delete(entry.event.id);
      throw error;
    }
    events.push(entry);
    for (const listener of listeners) listener();
    return true;
  };

  /** The instructor's word on solutions, on disk before it is acknowledged (like an event). */
  const allow = async (entry: LoggedAllowance): Promise<void> => {
    await log.append(entry);
    allowances.push(entry);
    for (const listener of listeners) listener();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (options.goproxyDir !== undefined && (path.startsWith(GOPROXY_ROUTE) || path === GOPROXY_ROUTE.slice(0, -1))) {
      // No join code (go cannot send one): public modules only, see goproxy.ts. Not counted as a wrong code either.
      if (!goproxyFetches.take(req.socket.remoteAddress ?? '?')) throw new HttpError(429, 'too many module requests; wait a moment');
      await serveGoproxy(req, res, options.goproxyDir, path.slice(GOPROXY_ROUTE.length));
      return;
    }
    if (path === '/v1/hello' && req.method === 'GET') {
      authorize(req, codeOk(req));
      // goproxy: a path on this server (protocol.ts); the laptop joins it to the address it used.
      send(res, 200, { schema: SERVER_SCHEMA, version: EVENT_VERSION, ...(options.goproxyDir !== undefined ? { goproxy: GOPROXY_ROUTE } : {}) });
      return;
    }
    if (path === '/v1/room' && req.method === 'GET') {
      authorize(req, tokenOk(req));
      send(res, 200, computeRoom(events, now(), options.stuck ?? DEFAULT_STUCK));
      return;
    }
    if (path === '/v1/events' && req.method === 'POST') {
      authorize(req, codeOk(req));
      const text = await readBody(req, limit);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new HttpError(400, 'the body is not JSON');
      }
      const parsed = parseEvent(body);
      if (!parsed.ok) throw new HttpError(400, parsed.error);
      if (!perLearner.take(parsed.event.learnerId)) throw new HttpError(429, 'too many events; they stay queued on the laptop');
      const fresh = await accept({ receivedAt: now(), event: parsed.event });
      send(res, 200, { accepted: true, duplicate: !fresh });
      return;
    }
    if (path === SOLUTIONS_PATH && req.method === 'POST') {
      // Instructor only: the token, as for the room.
      authorize(req, tokenOk(req));
      const text = await readBody(req, ALLOW_BODY_LIMIT);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new HttpError(400, 'the body is not JSON');
      }
      const allowance = parseAllowance(body);
      if (!allowance) throw new HttpError(400, 'the body must be {"upTo": a lesson number or "all"}');
      await allow({ receivedAt: now(), allowance });
      send(res, 200, { upTo: allowance.upTo });
      return;
    }
    const asked = path.startsWith(`${SOLUTIONS_PATH}/`) ? path.slice(SOLUTIONS_PATH.length + 1) : undefined;
    if (asked !== undefined && req.method === 'GET') {
      // A learner asking about one lesson: the join code, as for events.
      authorize(req, codeOk(req));
      if (!/^\d{1,3}$/.test(asked)) throw new HttpError(400, 'a lesson number');
      const upTo = currentAllowance(allowances);
      send(res, 200, { lesson: Number(asked), allowed: isAllowed(upTo, Number(asked)), upTo });
      return;
    }
    const known = ['/v1/hello', '/v1/room', '/v1/events', SOLUTIONS_PATH].includes(path) || asked !== undefined;
    throw new HttpError(known ? 405 : 404, 'not here');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 413 || status === 500) {
        res.setHeader('connection', 'close');
        // Discard what the client is still sending, so it reads the answer rather than a reset.
        req.resume();
      }
      if (!res.headersSent) send(res, status, { error: error instanceof HttpError ? error.message : 'server error' });
    });
  });
  // A client that opens a connection and trickles bytes does not hold it for long.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 2_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, options.host, options.port)));
    server.listen(options.port, options.host, () => resolve());
  }).catch(async (error: unknown) => {
    await log.close();
    throw error;
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = urlOf(options.host, port);
  // The address this machine reaches its own server on: the bound one (a server bound to the LAN
  // address does not answer on 127.0.0.1); for every network (0.0.0.0, ::), loopback.
  const local = `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host === '::' ? '[::1]' : options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  const serverFile = join(options.dir, SERVER_FILE);
  await writeFileAtomic(serverFile, `${JSON.stringify({ url, local, pid: process.pid }, null, 2)}\n`, 0o600);

  return {
    url,
    code: session.code,
    ...(options.goproxyDir !== undefined ? { goproxy: `${url}${GOPROXY_ROUTE}` } : {}),
    token,
    tokenFile,
    replayed: events.length,
    skipped,
    room: () => computeRoom(events, now(), options.stuck ?? DEFAULT_STUCK),
    solutions: () => currentAllowance(allowances),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await log.close();
      // Only our own file: a second server on the same folder may have written its address since.
      const current = await fs.readFile(serverFile, 'utf8').catch(() => '');
      if (current.includes(`"local": ${JSON.stringify(local)}`)) await fs.rm(serverFile, { force: true });
    },
  };
};

/**
 * The room as the log on disk says (`workshop export`), no server needed: as it stood at its last
 * event, by default. Exported the next day, minutes counted to "now" would call everyone stuck.
 */
export const roomFromLog = async (
  dir: string,
  now?: number,
  stuck: StuckRule = DEFAULT_STUCK,
): Promise<{ room: RoomState; events: number; skipped: number }> => {
  const { events, skipped } = await readEventLog(dir);
  const at = now ?? events.reduce((last, e) => Math.max(last, e.receivedAt), 0);
  return { room: computeRoom(events, at, stuck), events: events.length, skipped };
};
