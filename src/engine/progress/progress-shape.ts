import { LANGS, type Lang, type Localized } from '../i18n.js';
import { SKIP_REASONS, type CheckKind, type CheckStatus, type SkipReason } from '../checks/types.js';

// The shape of `.learn-go-docker/progress.json` (format 1) and its validation, written out by hand:
// every command reads this file, and a schema library here cost `list` a fifth of its start-up.
// Rules: a wrong type anywhere makes the file invalid (it is then recovered from its backup); keys
// this version does not know are dropped; missing counters and lists take their defaults; a skip
// reason only a newer version knows is dropped, never a reason to call the file corrupt.

export interface StoredCheckReport {
  id: string;
  title: Localized;
  kind: CheckKind;
  status: CheckStatus;
  message: Localized;
  line?: number;
  measured?: Record<string, number | string | boolean | null>;
  reason?: SkipReason;
  /** The lesson that teaches the check (the capstone's scorecard). */
  lesson?: number;
}

export interface StoredBlockingProblem {
  reason: SkipReason;
  message: Localized;
  line?: number;
}

export interface LastVerify {
  at: string;
  passed: boolean;
  staticOnly: boolean;
  checks: StoredCheckReport[];
  blocking: StoredBlockingProblem[];
  /** A hash of the course's files as they were checked: other files now mean an out-of-date verdict. */
  files?: string;
}

export interface LessonProgress {
  startedAt?: string;
  /** Full verifies (not static-only) of as many versions of the files (see attemptFiles). */
  attempts: number;
  /** Of those, the ones that failed: what unlocks the solution. */
  failures: number;
  /**
   * The files' hash at the last counted attempt. A verify of the same files again (watch mode's
   * re-check, the CLI beside the UI, a retry after the network failed) is no new attempt: it does
   * not bring the solution closer, and a room's attempt counts stay the learner's own tries.
   */
  attemptFiles?: string;
  passed: boolean;
  passedAt?: string;
  lastVerify?: LastVerify;
  /** Hint tier shown so far, per check id. */
  hints: Record<string, number>;
  /** Milliseconds spent verifying (Docker time), for the scorecard. */
  verifyMs: number;
}

export interface Progress {
  version: 1;
  createdAt: string;
  lang?: Lang;
  current: string;
  /** Size of the first image the learner built, for the size comparisons of later lessons. */
  firstImageBytes?: number;
  lessons: Record<string, LessonProgress>;
  /**
   * Journal of a `goto` in progress: written after the lesson left is saved and before its files
   * are replaced, removed once the new lesson's files are in place. Found at start, it means the
   * move was interrupted (kill -9); it is completed before anything else happens.
   */
  moving?: { from: string; to: string; at: string };
}

/** Thrown inside the validators only; `parseProgressValue` turns it into `undefined`. */
class Invalid extends Error {}
const invalid = (): never => {
  throw new Invalid();
};

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : invalid());
const str = (v: unknown): string => (typeof v === 'string' ? v : invalid());
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : invalid());
const int = (v: unknown): number => (Number.isSafeInteger(v) ? (v as number) : invalid());
const bool = (v: unknown): boolean => (typeof v === 'boolean' ? v : invalid());
const oneOf =
  <T extends string>(values: readonly T[]) =>
  (v: unknown): T =>
    values.includes(v as T) ? (v as T) : invalid();
const arr = <T>(v: unknown, item: (x: unknown) => T): T[] => (Array.isArray(v) ? v.map(item) : invalid());
const rec = <T>(v: unknown, value: (x: unknown) => T): Record<string, T> => Object.fromEntries(Object.entries(obj(v)).map(([k, x]) => [k, value(x)]));

/** Sets `key` on `out` only when the input has it (an absent optional key stays absent). */
const opt = <T>(out: Obj, input: Obj, key: string, parse: (x: unknown) => T): void => {
  if (input[key] !== undefined) out[key] = parse(input[key]);
};
const def = <T>(v: unknown, parse: (x: unknown) => T, fallback: T): T => (v === undefined ? fallback : parse(v));

const localized = (v: unknown): Localized => {
  const o = obj(v);
  return { en: str(o.en), 'zh-CN': str(o['zh-CN']) };
};
const measuredValue = (v: unknown): number | string | boolean | null => (v === null || typeof v === 'string' || typeof v === 'boolean' ? v : num(v));
const isSkipReason = (v: unknown): v is SkipReason => SKIP_REASONS.includes(v as SkipReason);

const checkReport = (v: unknown): StoredCheckReport => {
  const o = obj(v);
  const out: Obj = {
    id: str(o.id),
    title: localized(o.title),
    kind: oneOf<CheckKind>(['static', 'docker'])(o.kind),
    status: oneOf<CheckStatus>(['pass', 'fail', 'skip', 'unknown', 'error'])(o.status),
    message: localized(o.message),
  };
  opt(out, o, 'line', num);
  opt(out, o, 'measured', (x) => rec(x, measuredValue));
  // A reason this version does not know (a newer one wrote the file) is dropped, not a corrupt file.
  if (isSkipReason(o.reason)) out.reason = o.reason;
  opt(out, o, 'lesson', num);
  return out as unknown as StoredCheckReport;
};

const blockingProblem = (v: unknown): StoredBlockingProblem => {
  const o = obj(v);
  const out: Obj = { reason: isSkipReason(o.reason) ? o.reason : 'not-applicable', message: localized(o.message) };
  opt(out, o, 'line', num);
  return out as unknown as StoredBlockingProblem;
};

const lastVerify = (v: unknown): LastVerify => {
  const o = obj(v);
  const out: Obj = {
    at: str(o.at),
    passed: bool(o.passed),
    staticOnly: def(o.staticOnly, bool, false),
    checks: arr(o.checks, checkReport),
    blocking: def(o.blocking, (x) => arr(x, blockingProblem), []),
  };
  opt(out, o, 'files', str);
  return out as unknown as LastVerify;
};

export const lessonProgressValue = (v: unknown): LessonProgress => {
  const o = obj(v);
  const out: Obj = {};
  opt(out, o, 'startedAt', str);
  out.attempts = def(o.attempts, int, 0);
  out.failures = def(o.failures, int, 0);
  opt(out, o, 'attemptFiles', str);
  out.passed = def(o.passed, bool, false);
  opt(out, o, 'passedAt', str);
  opt(out, o, 'lastVerify', lastVerify);
  out.hints = def(o.hints, (x) => rec(x, int), {});
  out.verifyMs = def(o.verifyMs, num, 0);
  return out as unknown as LessonProgress;
};

const progressValue = (v: unknown): Progress => {
  const o = obj(v);
  if (o.version !== 1) invalid();
  const out: Obj = { version: 1, createdAt: str(o.createdAt) };
  opt(out, o, 'lang', oneOf(LANGS));
  out.current = str(o.current);
  opt(out, o, 'firstImageBytes', num);
  out.lessons = def(o.lessons, (x) => rec(x, lessonProgressValue), {});
  opt(out, o, 'moving', (x) => {
    const m = obj(x);
    return { from: str(m.from), to: str(m.to), at: str(m.at) };
  });
  return out as unknown as Progress;
};

/** The progress in `value` (parsed JSON) with defaults applied and unknown keys dropped, or undefined when it is not valid. */
export const parseProgressValue = (value: unknown): Progress | undefined => {
  try {
    return progressValue(value);
  } catch (error) {
    if (error instanceof Invalid) return undefined;
    throw error;
  }
};
