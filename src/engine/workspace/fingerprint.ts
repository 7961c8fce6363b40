import { createHash } from 'node:crypto';
import type { Course } from '../lessons/load.js';
import { readFileBytes } from '../util/safe-read.js';

/**
 * One hash of the course's files as they are in the workspace (path and content; a file the runner
 * refuses to read counts by its refusal). A verdict records it, so a result whose files changed
 * since (edited while the tutorial was closed) is known to be out of date.
 */
export const filesFingerprint = async (workspace: string, course: Course): Promise<string> => {
  const hash = createHash('sha256');
  for (const rel of [...course.managedFiles].sort()) {
    let part: string;
    try {
      const bytes = await readFileBytes(rel, { root: workspace, shown: rel, maxBytes: 16 * 1024 * 1024 });
      part = bytes === undefined ? 'absent' : createHash('sha256').update(bytes).digest('hex');
    } catch (error) {
      part = `unreadable:${error instanceof Error ? error.message : String(error)}`;
    }
    hash.update(`${rel}\0${part}\n`);
  }
  return hash.digest('hex').slice(0, 32);
};
