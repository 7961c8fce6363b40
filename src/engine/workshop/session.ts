import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { readIfExists, writeFileAtomic } from '../util/files.js';

/**
 * A workshop's secrets, kept in `session.json` beside the log (mode 600): the join code learners
 * type and a random secret the instructor's token is derived from. Kept across restarts, so a
 * server restarted mid-workshop still accepts the laptops that joined it.
 */
export const SESSION_FILE = 'session.json';

// No 0/O, 1/I/L: read aloud or off a projector, every character is unambiguous.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 6;

export interface WorkshopSession {
  readonly code: string;
  readonly secret: string;
  readonly createdAt: string;
}

export const newJoinCode = (): string => Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

/** What a learner typed, as the code is stored: upper case, spaces and dashes dropped. */
export const normalizeCode = (typed: string): string => typed.toUpperCase().replace(/[\s-]/g, '');

/** The instructor's token for GET /v1/room: derived, so it is never stored apart from its secret. */
export const instructorToken = (session: WorkshopSession): string => createHmac('sha256', session.secret).update('instructor').digest('hex').slice(0, 32);

/** Constant-time comparison: the answer's timing says nothing about how much of a guess was right. */
export const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

const parseSession = (data: Buffer): WorkshopSession | undefined => {
  try {
    const raw = JSON.parse(data.toString('utf8')) as Partial<WorkshopSession>;
    if (typeof raw.code !== 'string' || typeof raw.secret !== 'string' || typeof raw.createdAt !== 'string') return undefined;
    if (normalizeCode(raw.code) !== raw.code || raw.code.length < 4 || raw.secret.length < 32) return undefined;
    return { code: raw.code, secret: raw.secret, createdAt: raw.createdAt };
  } catch {
    return undefined;
  }
};

/** The folder's session, or a new one. A damaged file is replaced (learners then join again), never trusted. */
export const loadOrCreateSession = async (dir: string, now: Date): Promise<{ session: WorkshopSession; created: boolean }> => {
  const path = join(dir, SESSION_FILE);
  const data = await readIfExists(path);
  const found = data && parseSession(data);
  if (found) return { session: found, created: false };
  const session = { code: newJoinCode(), secret: randomBytes(32).toString('hex'), createdAt: now.toISOString() };
  await writeFileAtomic(path, `${JSON.stringify(session, null, 2)}\n`, 0o600);
  return { session, created: true };
};
