/**
 * Workshop pacing: which lessons' solutions the instructor has opened. The instructor says "up to
 * lesson N" (0: none) or "all"; the latest word wins, so a mistyped number is fixed by allowing
 * again. Kept in the room's event log (event-log.ts) so a restarted server still knows it.
 */

export const SOLUTIONS_PATH = '/v1/solutions';

/** Lessons 1..upTo are allowed; 'all' every lesson. */
export type SolutionsUpTo = number | 'all';

/** What the instructor's POST carries and the log keeps. */
export interface SolutionsAllowance {
  readonly type: 'solutions';
  readonly upTo: SolutionsUpTo;
}

/** The same bound as a lesson number in protocol.ts. */
const MAX_LESSON = 999;

export const isUpTo = (value: unknown): value is SolutionsUpTo =>
  value === 'all' || (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_LESSON);

/** The instructor's POST body: `{"upTo": 3}` or `{"upTo": "all"}`; nothing else. */
export const parseAllowance = (value: unknown): SolutionsAllowance | undefined => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  const upTo = (value as { upTo?: unknown }).upTo;
  if (keys.length !== 1 || keys[0] !== 'upTo' || !isUpTo(upTo)) return undefined;
  return { type: 'solutions', upTo };
};

/** An allowance as the log keeps it: `{"type": "solutions", "upTo": ...}`, nothing else. */
export const parseLoggedAllowance = (value: unknown): SolutionsAllowance | undefined => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { type, upTo } = value as { type?: unknown; upTo?: unknown };
  return Object.keys(value).length === 2 && type === 'solutions' && isUpTo(upTo) ? { type, upTo } : undefined;
};

/** What `workshop allow` was typed with: a lesson number or "all". */
export const parseUpToArgument = (typed: string | undefined): SolutionsUpTo | undefined => {
  if (typed === undefined) return undefined;
  if (typed.toLowerCase() === 'all') return 'all';
  if (!/^\d{1,3}$/.test(typed)) return undefined;
  return Number(typed);
};

/** Before any word from the instructor, no solution is open: hiding them is the point of workshop mode. */
export const NOTHING_ALLOWED: SolutionsUpTo = 0;

/** The room's allowance: the last one in the log. */
export const currentAllowance = (entries: readonly { readonly allowance: SolutionsAllowance }[]): SolutionsUpTo =>
  entries.length === 0 ? NOTHING_ALLOWED : (entries[entries.length - 1] as { allowance: SolutionsAllowance }).allowance.upTo;

export const isAllowed = (upTo: SolutionsUpTo, lessonNumber: number): boolean => upTo === 'all' || lessonNumber <= upTo;
