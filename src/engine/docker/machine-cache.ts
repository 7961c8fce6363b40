import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cacheDir } from '../util/cache-dir.js';

export { cacheDir };

/**
 * A small per-user cache of what does not change from one verify to the next on this machine: the
 * Docker capabilities probed last time (four docker calls saved per verify) and when leftovers of
 * killed runs were last swept. Lost or unreadable, it is simply rebuilt.
 */
export const readCache = async <T>(name: string): Promise<T | undefined> => {
  try {
    return JSON.parse(await readFile(join(cacheDir(), name), 'utf8')) as T;
  } catch {
    return undefined;
  }
};

/** Written aside, then renamed: two processes never read a torn file. Failures are ignored. */
export const writeCache = async (name: string, value: unknown): Promise<void> => {
  const file = join(cacheDir(), name);
  try {
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify(value));
      await rename(tmp, file);
    } finally {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  } catch {
    // A read-only home is no reason to fail a verify: the cache is an optimisation.
  }
};

/** `<name>.<pid>.tmp`: a write of writeCache that has not been renamed yet. */
const TEMP = /^.+\.(\d+)\.tmp$/;

/**
 * Removes the half-written files of processes that are gone (a verify stopped by kill -9 or a
 * closed terminal between the write and the rename); a live process's file is being written.
 */
export const sweepCacheTemps = async (alive: (pid: number) => boolean): Promise<string[]> => {
  const dir = cacheDir();
  const gone = (await readdir(dir).catch(() => [] as string[])).filter((name) => {
    const pid = Number(TEMP.exec(name)?.[1]);
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid);
  });
  for (const name of gone) await rm(join(dir, name), { force: true }).catch(() => undefined);
  return gone;
};

/** Removes an entry; a missing one is fine. */
export const removeCache = async (name: string): Promise<void> => {
  await rm(join(cacheDir(), name), { force: true }).catch(() => undefined);
};

/** A fingerprint of the docker client binary (its path, size and time), so an upgrade re-probes. */
export const binaryStamp = async (binary: string): Promise<string> => {
  const candidates = binary.includes('/') ? [binary] : (process.env.PATH ?? '').split(':').map((dir) => join(dir, binary));
  for (const path of candidates) {
    const s = await stat(path).catch(() => undefined);
    if (s?.isFile()) return `${path}:${s.size}:${s.mtimeMs}`;
  }
  return binary;
};
