import type { Course } from '../lessons/load.js';
import { readInWorkspace } from './overlay.js';

/**
 * One hash of the course's files as they are in the workspace (path and content; a file the runner
 * refuses to read counts by its refusal). A verdict records it, so a result whose files changed
 * since (edited while the tutorial was closed) is known to be out of date.
 */
export const filesFingerprint = async (workspace: string, course: Course): Promise<string> => {
  // node:crypto loads here, not at start-up: list and goto never hash (a few ms of every start).
  const { createHash } = await import('node:crypto');
  const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
  // Read side by side: each guarded read is several file-system round trips, and a lesson has
  // dozens of files (one after the other, they held up every verdict by tens of milliseconds).
  const parts = await Promise.all(
    [...course.managedFiles].sort().map(async (rel) => {
      let part: string;
      try {
        const bytes = await readInWorkspace(workspace, rel);
        part = bytes === undefined ? 'absent' : sha256(bytes);
      } catch (error) {
        part = `unreadable:${error instanceof Error ? error.message : String(error)}`;
      }
      return `${rel}\0${part}\n`;
    }),
  );
  return sha256(parts.join('')).slice(0, 32);
};
