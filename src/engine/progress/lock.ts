import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { L } from '../i18n.js';
import { UserError } from '../errors.js';

/**
 * The workspace lock: `.learn-go-docker/lock`, created exclusively and held only while progress is
 * read, changed and written back, or while a `goto`/`reset` rewrites the lesson's files. It keeps a
 * verify in one terminal from writing back a stale copy over a `goto` made in another.
 * A lock whose process is gone (kill -9) is taken over; see `isStaleLock`.
 */
export const LOCK_FILE = 'lock';
const STATE_DIR = '.learn-go-docker';
const POLL_MS = 25;
/** How long a command waits for another one before giving up with a message. */
export const LOCK_WAIT_MS = 20_000;
/** A lock this old is stale whatever its pid says (a reused pid, a lock from another machine). */
const MAX_HOLD_MS = 120_000;

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly at: number;
}

const lockPath = (workspace: string): string => join(workspace, STATE_DIR, LOCK_FILE);

const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Whether a lock's owner can no longer release it: its process is gone, or it is far too old. */
export const isStaleLock = (owner: LockOwner | undefined, now: number, host = hostname()): boolean => {
  if (!owner) return true;
  if (now - owner.at > MAX_HOLD_MS) return true;
  if (owner.host === host) return owner.pid !== process.pid && !pidAlive(owner.pid);
  return false;
};

/**
 * Whether a command that can no longer release it (killed mid-work) left the lock file: the next
 * command, even one that only reads, then opens under the lock, which clears it and repairs.
 */
export const staleLockLeft = async (workspace: string): Promise<boolean> => {
  const found = await readOwner(lockPath(workspace)).catch(() => undefined);
  return found !== undefined && isStaleLock(found.owner, Date.now());
};

const readOwner = async (path: string): Promise<{ raw: string; owner?: LockOwner } | undefined> => {
  let raw: string;
  try {
    raw = await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const parsed = JSON.parse(raw) as LockOwner;
    return { raw, owner: typeof parsed.pid === 'number' && typeof parsed.at === 'number' ? parsed : undefined };
  } catch {
    // A lock file torn by a kill between create and write: its owner is gone.
    return { raw };
  }
};

const tryCreate = async (path: string, owner: LockOwner): Promise<boolean> => {
  try {
    const handle = await fs.open(path, 'wx');
    try {
      await handle.writeFile(JSON.stringify(owner));
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** In-process queue per workspace, so one process never waits on its own lock file. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `fn` while holding the workspace lock. Waits up to `waitMs` for another command to finish,
 * then fails with a message that names it. Keep `fn` short: no Docker work inside.
 */
export const withWorkspaceLock = async <T>(workspace: string, fn: () => Promise<T>, waitMs = LOCK_WAIT_MS): Promise<T> => {
  const previous = queues.get(workspace) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => holdFileLock(workspace, fn, waitMs));
  const tail = run.catch(() => undefined);
  queues.set(workspace, tail);
  try {
    return await run;
  } finally {
    if (queues.get(workspace) === tail) queues.delete(workspace);
  }
};

const holdFileLock = async <T>(workspace: string, fn: () => Promise<T>, waitMs: number): Promise<T> => {
  const path = lockPath(workspace);
  const deadline = Date.now() + waitMs;
  const mine = { pid: process.pid, host: hostname(), at: 0 };
  for (;;) {
    mine.at = Date.now();
    if (await tryCreate(path, mine)) break;
    const current = await readOwner(path);
    if (current && isStaleLock(current.owner, Date.now())) {
      // Remove it only if it is still the same stale lock (another waiter may have replaced it).
      const again = await readOwner(path);
      if (again?.raw === current.raw) await fs.rm(path, { force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      const who = current?.owner ? `process ${current.owner.pid}` : 'another process';
      throw new UserError(
        L(
          `Another learn-go-docker command (${who}) is changing this workspace and did not finish within ${Math.round(waitMs / 1000)} s.`,
          `另一个 learn-go-docker 命令（${who === 'another process' ? '另一个进程' : `进程 ${current?.owner?.pid}`}）正在修改这个工作区，${Math.round(waitMs / 1000)} 秒内没有结束。`,
        ),
        {
          next: L(
            `Wait for it to finish and try again. If no such command runs, delete ${STATE_DIR}/${LOCK_FILE}.`,
            `请等它结束后重试。如果并没有这样的命令在运行，请删除 ${STATE_DIR}/${LOCK_FILE}。`,
          ),
        },
      );
    }
    await sleep(POLL_MS);
  }
  try {
    return await fn();
  } finally {
    // Only our own lock: one held past MAX_HOLD_MS may have been taken over since.
    const current = await readOwner(path).catch(() => undefined);
    if (current?.raw === JSON.stringify(mine)) await fs.rm(path, { force: true });
  }
};
