import { lstat, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pidAlive } from './clean.js';
import { COMPOSE_PREFIX_DIR, IID_PREFIX, STAGED_PREFIX } from './stage-context.js';

/**
 * The runner's temp folders (staged build contexts, compose copies) in the temp directory. A kill -9
 * leaves them behind, with a full copy of the workspace (.env included): they are swept at the next
 * start once their process is gone, and `clean` removes them.
 */
export interface StagedFolder {
  readonly path: string;
  /** The process that made it (from the name); undefined for a folder of an older version. */
  readonly pid?: number;
  /** Its process still runs: the folder may be in use. */
  readonly live: boolean;
}

const NAME = new RegExp(`^(?:${STAGED_PREFIX}|${COMPOSE_PREFIX_DIR}|${IID_PREFIX})(?:(\\d+)-)?[A-Za-z0-9]{6}$`);

export const listStagedFolders = async (dir = tmpdir()): Promise<StagedFolder[]> => {
  const found: StagedFolder[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const match = NAME.exec(name);
    if (!match) continue;
    const stat = await lstat(join(dir, name)).catch(() => undefined);
    if (!stat?.isDirectory()) continue;
    const pid = match[1] === undefined ? undefined : Number(match[1]);
    found.push({ path: join(dir, name), ...(pid === undefined ? {} : { pid }), live: pid !== undefined && (pid === process.pid || pidAlive(pid)) });
  }
  return found;
};

/**
 * Left behind: its process is gone. A folder without a pid in its name (an earlier version made it)
 * cannot be told from one in use, so only `clean`, which the learner asks for, removes it.
 */
export const isLeftBehind = (folder: StagedFolder): boolean => folder.pid !== undefined && !folder.live;

/** Removes the folders left behind by runs that are gone; returns their paths. */
export const sweepStagedFolders = async (dir = tmpdir()): Promise<string[]> => {
  const gone = (await listStagedFolders(dir)).filter((f) => isLeftBehind(f));
  for (const folder of gone) await rm(folder.path, { recursive: true, force: true }).catch(() => undefined);
  return gone.map((f) => f.path);
};

/** Disk space a folder takes, as `du` counts it (allocated blocks); never follows links. */
export const folderBytes = async (path: string): Promise<number> => {
  const stat = await lstat(path).catch(() => undefined);
  if (!stat) return 0;
  // Windows reports no blocks: the apparent size is the best there is.
  const own = Number.isFinite(stat.blocks) ? stat.blocks * 512 : stat.size;
  if (!stat.isDirectory()) return own;
  let total = own;
  for (const name of await readdir(path).catch(() => [] as string[])) total += await folderBytes(join(path, name));
  return total;
};
