import type { Course } from '../lessons/load.js';
import { readInWorkspace } from './overlay.js';

/** Fingerprints this version writes start with it; older ones are 32 hex digits of SHA-256. */
const PREFIX = 'f2:';

/**
 * 64 bits of two FNV-1a hashes (different offsets and primes) over the bytes. It only tells whether
 * files changed since a verdict, so it needs no cryptography: node:crypto costs 3 ms of every verify
 * to load, more than hashing the course's few small files here.
 */
const fnv64 = (parts: readonly (Buffer | string)[]): string => {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part) : part;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i] ?? 0;
      a = Math.imul(a ^ byte, 0x01000193);
      b = Math.imul(b ^ byte, 0x0100019b);
    }
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
};

/** Each of the course's files as it is in the workspace: its bytes, or why there are none. */
const fileStates = (workspace: string, course: Course): Promise<{ rel: string; bytes?: Buffer; state?: string }[]> =>
  // Read side by side: each guarded read is several file-system round trips, and a lesson has
  // dozens of files (one after the other, they held up every verdict by tens of milliseconds).
  Promise.all(
    [...course.managedFiles].sort().map(async (rel) => {
      try {
        const bytes = await readInWorkspace(workspace, rel);
        return bytes === undefined ? { rel, state: 'absent' } : { rel, bytes };
      } catch (error) {
        return { rel, state: `unreadable:${error instanceof Error ? error.message : String(error)}` };
      }
    }),
  );

/**
 * One hash of the course's files as they are in the workspace (path and content; a file the runner
 * refuses to read counts by its refusal). A verdict records it, so a result whose files changed
 * since (edited while the tutorial was closed) is known to be out of date.
 */
export const filesFingerprint = async (workspace: string, course: Course): Promise<string> => {
  const parts: (Buffer | string)[] = [];
  for (const file of await fileStates(workspace, course)) parts.push(`${file.rel}\0`, file.bytes ?? file.state ?? '', '\n');
  return PREFIX + fnv64(parts);
};

/** The SHA-256 form earlier versions recorded, so their verdicts are not all called out of date. */
const legacyFingerprint = async (workspace: string, course: Course): Promise<string> => {
  const { createHash } = await import('node:crypto');
  const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
  const lines = (await fileStates(workspace, course)).map((f) => `${f.rel}\0${f.bytes ? sha256(f.bytes) : f.state}\n`);
  return sha256(lines.join('')).slice(0, 32);
};

/** Whether the files are as they were when `recorded` was taken (by this version or an earlier one). */
export const sameFiles = async (recorded: string, workspace: string, course: Course): Promise<boolean> =>
  recorded === (recorded.startsWith(PREFIX) ? await filesFingerprint(workspace, course) : await legacyFingerprint(workspace, course));
