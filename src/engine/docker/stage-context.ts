import { chmod, copyFile, lstat, lutimes, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { matchIgnore, parseDockerignore } from '../dockerfile/dockerignore.js';

/** The runner's state folder inside the workspace; never part of a build context. */
export const STATE_DIR = '.learn-go-docker';

/**
 * Temp folders the runner makes carry the owning pid in their name, so a later run can tell a
 * folder left by a killed process (swept, see staged-folders.ts) from one still in use.
 */
export const STAGED_PREFIX = 'learn-go-docker-ctx-';
export const COMPOSE_PREFIX_DIR = 'learn-go-docker-compose-';
/** A build's image-id file (`--iidfile`) lives in one of these. */
export const IID_PREFIX = 'learn-go-docker-iid-';
export const ownedTempDir = (prefix: string): Promise<string> => mkdtemp(join(tmpdir(), `${prefix}${process.pid}-`));

/**
 * Whether `.git` is copied: only when the learner's .dockerignore lets it (or part of it, `!.git/HEAD`)
 * reach the builder. With no .dockerignore it stays out: the history is never needed by the
 * lessons' builds, and a copy of it in the temp folder is one more copy of whatever it holds.
 */
export const keepsGit = (dockerignore: string | undefined): boolean => {
  if (dockerignore === undefined) return false;
  const patterns = parseDockerignore(dockerignore);
  return !matchIgnore(patterns, '.git').excluded || patterns.some((p) => p.exclusion && p.text.includes('.git'));
};

const skipped = (rel: string, name: string): boolean => rel === name || rel.startsWith(name + sep);

/** Files copied at once: a context is a few dozen files, copied in parallel rather than one by one. */
const PARALLEL_COPIES = 16;

/**
 * Copies `from` into `to` (which exists) with modes and timestamps, links as links, leaving out
 * what `skip` names (its folders are not even read). Sockets, FIFOs and devices are not copied:
 * no builder can send them. Node's fs.cp does the same one entry at a time (20–30 ms for the
 * sample app where this takes 5–7), on the way to every build.
 */
const copyTree = async (from: string, to: string, skip: (rel: string) => boolean): Promise<void> => {
  const files: string[] = [];
  const dirs: { rel: string; mode: number }[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(join(from, rel), { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        const child = rel ? join(rel, entry.name) : entry.name;
        if (skip(child)) return;
        if (entry.isDirectory()) {
          dirs.push({ rel: child, mode: (await lstat(join(from, child))).mode & 0o7777 });
          await mkdir(join(to, child), { mode: 0o700 });
          await walk(child);
        } else if (entry.isFile() || entry.isSymbolicLink()) files.push(child);
      }),
    );
  };
  await walk('');
  for (let i = 0; i < files.length; i += PARALLEL_COPIES) {
    await Promise.all(
      files.slice(i, i + PARALLEL_COPIES).map(async (rel) => {
        const source = join(from, rel);
        const target = join(to, rel);
        const stat = await lstat(source);
        if (stat.isSymbolicLink()) {
          await symlink(await readlink(source), target);
          await lutimes(target, stat.atime, stat.mtime);
        } else {
          await copyFile(source, target); // keeps the mode
          await utimes(target, stat.atime, stat.mtime);
        }
      }),
    );
  }
  // Folders get their modes last: a read-only one must still take its files first.
  for (const { rel, mode } of dirs.reverse()) await chmod(join(to, rel), mode);
};

/**
 * Copies the build context to a temp folder without the runner's state, so progress and snapshots
 * never change the context the learner's cache sees. The learner's .dockerignore is copied and
 * still applies. Returns the folder; remove it with `removeStaged`.
 */
export const stageContext = async (contextDir: string): Promise<string> => {
  const git = keepsGit(await readFile(join(contextDir, '.dockerignore'), 'utf8').catch(() => undefined));
  const staged = await ownedTempDir(STAGED_PREFIX);
  await copyTree(contextDir, staged, (rel) => skipped(rel, STATE_DIR) || (!git && skipped(rel, '.git')));
  return staged;
};

export const removeStaged = async (dir: string): Promise<void> => {
  await rm(dir, { recursive: true, force: true });
};
