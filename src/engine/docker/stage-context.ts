import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

/** The runner's state folder inside the workspace; never part of a build context. */
export const STATE_DIR = '.learn-go-docker';

/**
 * Copies the build context to a temp folder without the runner's state, so progress and snapshots
 * never change the context the learner's cache sees. The learner's .dockerignore is copied and
 * still applies. Returns the folder; remove it with `removeStaged`.
 */
export const stageContext = async (contextDir: string): Promise<string> => {
  const staged = await mkdtemp(join(tmpdir(), 'learn-go-docker-ctx-'));
  await cp(contextDir, staged, {
    recursive: true,
    verbatimSymlinks: true,
    preserveTimestamps: true,
    filter: (source) => {
      const rel = relative(contextDir, source);
      return rel !== STATE_DIR && !rel.startsWith(STATE_DIR + sep);
    },
  });
  return staged;
};

export const removeStaged = async (dir: string): Promise<void> => {
  await rm(dir, { recursive: true, force: true });
};
