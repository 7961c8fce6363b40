import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { L } from '../i18n.js';
import { UserError } from '../errors.js';
import { readIfExists } from '../util/files.js';
import type { FetchLike } from './client.js';
import { SERVER_FILE, TOKEN_FILE } from './server.js';
import { SOLUTIONS_PATH, isUpTo, type SolutionsUpTo } from './solutions.js';

/**
 * `workshop allow`: the instructor, in a second terminal, opens solutions in the running server of
 * a room folder. The token and the address are read from that folder (the server wrote them), so
 * the token is never typed or shown.
 */

/** A local request: the server is on this machine. */
export const ALLOW_TIMEOUT_MS = 2000;

const startIt = (dir: string) =>
  L(
    `Start it (in another terminal): npx learn-go-docker workshop serve --dir ${dir}`,
    `（在另一个终端中）启动它：npx learn-go-docker workshop serve --dir ${dir}`,
  );

const notRunning = (dir: string, cause?: unknown): UserError =>
  new UserError(L(`No workshop server is running for ${dir}.`, `${dir} 没有正在运行的工作坊服务器。`), { next: startIt(dir), cause });

/** The running server's own address, from the file it wrote at start; undefined when none. */
const localAddress = async (dir: string): Promise<string | undefined> => {
  const data = await readIfExists(join(dir, SERVER_FILE));
  if (!data) return undefined;
  try {
    const raw = JSON.parse(data.toString('utf8')) as { local?: unknown };
    return typeof raw.local === 'string' && /^https?:\/\//.test(raw.local) ? raw.local : undefined;
  } catch {
    return undefined;
  }
};

/** A room folder: the folder `workshop serve` keeps (its token), and whether a server runs on it now. */
export interface RoomFolder {
  readonly dir: string;
  readonly running: boolean;
}

/**
 * The room folders in `cwd` and its sub-folders (where `workshop serve` made them when not told a
 * `--dir`), so `workshop allow` run beside them finds the room without being told.
 */
export const roomFoldersIn = async (cwd: string): Promise<RoomFolder[]> => {
  const children = await readdir(cwd, { withFileTypes: true }).catch(() => []);
  const dirs = [cwd, ...children.filter((e) => e.isDirectory()).map((e) => join(cwd, e.name))];
  const rooms: RoomFolder[] = [];
  for (const dir of dirs) {
    if (!(await readIfExists(join(dir, TOKEN_FILE)))) continue;
    rooms.push({ dir, running: (await localAddress(dir)) !== undefined });
  }
  return rooms;
};

/** The room `workshop allow` means when not told a folder: the one running here, else undefined (the caller says why). */
export const pickRoomFolder = (rooms: readonly RoomFolder[]): string | UserError | undefined => {
  const running = rooms.filter((r) => r.running);
  if (running.length === 1) return running[0]?.dir;
  if (running.length > 1)
    return new UserError(
      L(
        `Workshop servers run for ${running.length} folders here: ${running.map((r) => basename(r.dir)).join(', ')}.`,
        `这里有 ${running.length} 个文件夹正在运行工作坊服务器：${running.map((r) => basename(r.dir)).join('、')}。`,
      ),
      {
        next: L(
          `Name one: npx learn-go-docker workshop allow 3 --dir ${basename(running[0]?.dir ?? '')}`,
          `请指定一个：npx learn-go-docker workshop allow 3 --dir ${basename(running[0]?.dir ?? '')}`,
        ),
      },
    );
  return undefined;
};

export const allowSolutions = async (
  dir: string,
  upTo: SolutionsUpTo,
  options: { fetchImpl?: FetchLike; timeoutMs?: number } = {},
): Promise<{ upTo: SolutionsUpTo; url: string }> => {
  const token = (await readIfExists(join(dir, TOKEN_FILE)))?.toString('utf8').trim();
  if (!token)
    throw new UserError(L(`${dir} is not a workshop room folder (no ${TOKEN_FILE}).`, `${dir} 不是工作坊房间文件夹（没有 ${TOKEN_FILE}）。`), {
      next: L(
        'Name the folder you gave workshop serve: npx learn-go-docker workshop allow 3 --dir <that folder>',
        '请指定你给 workshop serve 的文件夹：npx learn-go-docker workshop allow 3 --dir <那个文件夹>',
      ),
    });
  const url = await localAddress(dir);
  if (!url) throw notRunning(dir);
  const fetchImpl = options.fetchImpl ?? ((target, init) => fetch(target, init));
  let answer: { status: number; json(): Promise<unknown> };
  try {
    answer = await fetchImpl(`${url}${SOLUTIONS_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ upTo }),
      signal: AbortSignal.timeout(options.timeoutMs ?? ALLOW_TIMEOUT_MS),
    });
  } catch (error) {
    // The file outlived its server (a killed process): nothing listens there.
    throw notRunning(dir, error);
  }
  if (answer.status === 401 || answer.status === 429)
    throw new UserError(L(`The server at ${url} refused the instructor token of ${dir}.`, `${url} 上的服务器拒绝了 ${dir} 的讲师令牌。`), {
      next: L(
        'Is another room’s server on that port? Restart this room: npx learn-go-docker workshop serve --dir ' + dir,
        '那个端口上是否是另一个房间的服务器？重新启动这个房间：npx learn-go-docker workshop serve --dir ' + dir,
      ),
    });
  const body = (await answer.json().catch(() => undefined)) as { upTo?: unknown } | undefined;
  if (answer.status !== 200 || !isUpTo(body?.upTo))
    throw new UserError(
      L(`The server at ${url} did not accept the change (HTTP ${answer.status}).`, `${url} 上的服务器没有接受这次修改（HTTP ${answer.status}）。`),
      {
        next: L(
          'Is it an older learn-go-docker? Use the same version for serve and allow.',
          '它是旧版本的 learn-go-docker 吗？serve 和 allow 请使用同一版本。',
        ),
      },
    );
  return { upTo: body.upTo, url };
};
