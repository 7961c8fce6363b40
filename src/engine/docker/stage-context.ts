import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
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

/**
 * Copies the build context to a temp folder without the runner's state, so progress and snapshots
 * never change the context the learner's cache sees. The learner's .dockerignore is copied and
 * still applies. Returns the folder; remove it with `removeStaged`.
 */
export const stageContext = async (contextDir: string): Promise<string> => {
  const git = keepsGit(await readFile(join(contextDir, '.dockerignore'), 'utf8').catch(() => undefined));
  const staged = await ownedTempDir(STAGED_PREFIX);
  await cp(contextDir, staged, {
    recursive: true,
    verbatimSymlinks: true,
    preserveTimestamps: true,
    filter: (source) => {
      const rel = relative(contextDir, source);
      return !skipped(rel, STATE_DIR) && (git || !skipped(rel, '.git'));
    },
  });
  return staged;
};

export const removeStaged = async (dir: string): Promise<void> => {
  await rm(dir, { recursive: true, force: true });
};
