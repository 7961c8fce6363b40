import { promises as fs } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** Workspace-relative paths always use forward slashes, whatever the OS. */
export const toPosix = (path: string): string => path.split(sep).join('/');

/** Lists files (not folders) under `root`, recursively, as posix relative paths, sorted. */
export const listFiles = async (root: string, skip: (rel: string) => boolean = () => false): Promise<string[]> => {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      const rel = toPosix(relative(root, abs));
      if (skip(rel)) continue;
      if (entry.isDirectory()) await walk(abs);
      else if (entry.isFile()) out.push(rel);
    }
  };
  await walk(root);
  return out.sort();
};

export const readIfExists = async (path: string): Promise<Buffer | undefined> => {
  try {
    return await fs.readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
    throw error;
  }
};

/** Writes a file atomically: a temp file in the same folder, then rename (no torn files on a crash). */
export const writeFileAtomic = async (path: string, data: Buffer | string, mode?: number): Promise<void> => {
  await fs.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  await fs.writeFile(tmp, data, mode === undefined ? undefined : { mode });
  if (mode !== undefined) await fs.chmod(tmp, mode);
  await fs.rename(tmp, path);
};

/** A timestamp safe in file names: 2026-11-25T12-07-43. */
export const fileTimestamp = (date: Date): string => date.toISOString().slice(0, 19).replace(/:/g, '-');
