import { L, type Localized } from '../i18n.js';
import type { LoggedEvent } from './event-log.js';
import type { Verdict } from './protocol.js';

/**
 * The room, computed from the event log alone (pure): the same events give the same room, so the
 * live view, a restarted server and `workshop export` agree.
 */

export interface StuckRule {
  /** Failed verifies in a row on one lesson. */
  readonly failedInARow: number;
  /** Minutes on one lesson without passing it. */
  readonly minutes: number;
}

export const DEFAULT_STUCK: StuckRule = { failedInARow: 3, minutes: 15 };

export interface HelpRequest {
  readonly at: string;
  readonly lesson: { readonly id: string; readonly number: number };
  readonly dockerfile: string | null;
  readonly lastVerdict: Verdict | null;
}

export interface LearnerRow {
  readonly learnerId: string;
  readonly name: string;
  readonly lesson: { readonly id: string; readonly number: number };
  /** Verifies on the current lesson, as the learner's progress counts them. */
  readonly attempts: number;
  readonly failedInARow: number;
  readonly minutes: number;
  readonly passed: boolean;
  readonly stuck: false | 'attempts' | 'minutes';
  /** Checks failing in the learner's last verify of this lesson. */
  readonly failing: readonly string[];
  /** The last help request not followed by a pass of its lesson. */
  readonly help: HelpRequest | null;
  readonly lastSeen: number;
}

export interface FailingCheck {
  readonly id: string;
  /** Learners whose last verify fails it now. */
  readonly learners: number;
  /** Failed verifies of it in the whole log. */
  readonly failures: number;
}

export interface RoomState {
  readonly at: number;
  readonly learners: readonly LearnerRow[];
  readonly failingChecks: readonly FailingCheck[];
  readonly stuck: number;
  readonly helpPending: number;
}

interface Acc {
  learnerId: string;
  name: string;
  lesson: { id: string; number: number };
  attempts: number;
  failedInARow: number;
  passed: boolean;
  failing: string[];
  /** lessonSeconds of the last verify and when it arrived: minutes keep counting between verifies. */
  seconds: number;
  secondsAt: number;
  help: HelpRequest | null;
  lastSeen: number;
}

export const computeRoom = (events: readonly LoggedEvent[], now: number, rule: StuckRule = DEFAULT_STUCK): RoomState => {
  const byLearner = new Map<string, Acc>();
  const failures = new Map<string, number>();
  for (const { receivedAt, event } of events) {
    let acc = byLearner.get(event.learnerId);
    const moved = !acc || acc.lesson.id !== event.lesson.id;
    if (!acc || moved) {
      // A new lesson starts a new count; the help request stays until its own lesson is passed.
      acc = {
        learnerId: event.learnerId,
        name: event.name,
        lesson: event.lesson,
        attempts: 0,
        failedInARow: 0,
        passed: false,
        failing: [],
        seconds: 0,
        secondsAt: receivedAt,
        help: acc?.help ?? null,
        lastSeen: receivedAt,
      };
      byLearner.set(event.learnerId, acc);
    }
    acc.name = event.name;
    acc.lastSeen = receivedAt;
    if (event.type === 'verify') {
      // A verify of the same files again (a watch re-check) keeps the learner's attempt count, and
      // is no new failure in a row either: STUCK counts the learner's tries.
      const tried = event.attempts !== acc.attempts;
      acc.attempts = event.attempts;
      acc.failedInARow = event.passed ? 0 : tried ? acc.failedInARow + 1 : acc.failedInARow;
      acc.passed ||= event.passed;
      acc.failing = event.failedChecks;
      acc.seconds = event.lessonSeconds;
      acc.secondsAt = receivedAt;
      for (const id of event.failedChecks) failures.set(id, (failures.get(id) ?? 0) + 1);
      if (event.passed && acc.help?.lesson.id === event.lesson.id) acc.help = null;
    } else if (event.type === 'help') {
      acc.help = { at: event.at, lesson: event.lesson, dockerfile: event.dockerfile, lastVerdict: event.lastVerdict };
    }
  }
  const learners = [...byLearner.values()].map((a): LearnerRow => {
    const minutes = Math.floor((a.seconds + Math.max(0, now - a.secondsAt) / 1000) / 60);
    const stuck = a.passed ? false : a.failedInARow >= rule.failedInARow ? 'attempts' : minutes >= rule.minutes ? 'minutes' : false;
    return {
      learnerId: a.learnerId,
      name: a.name,
      lesson: a.lesson,
      attempts: a.attempts,
      failedInARow: a.failedInARow,
      minutes,
      passed: a.passed,
      stuck,
      failing: a.failing,
      help: a.help,
      lastSeen: a.lastSeen,
    };
  });
  // The room reads best in lesson order, the slowest first; names break ties so the order is stable.
  learners.sort((x, y) => x.lesson.number - y.lesson.number || x.name.localeCompare(y.name) || x.learnerId.localeCompare(y.learnerId));
  const failingNow = new Map<string, number>();
  for (const l of learners) if (!l.passed) for (const id of l.failing) failingNow.set(id, (failingNow.get(id) ?? 0) + 1);
  const failingChecks = [...failures.entries()]
    .map(([id, n]) => ({ id, learners: failingNow.get(id) ?? 0, failures: n }))
    .sort((x, y) => y.learners - x.learners || y.failures - x.failures || x.id.localeCompare(y.id));
  return {
    at: now,
    learners,
    failingChecks,
    stuck: learners.filter((l) => l.stuck).length,
    helpPending: learners.filter((l) => l.help).length,
  };
};

// ---------------------------------------------------------------------------------------------------
// Read-only views of the room for the instructor's two screens (the plain table of
// src/commands/workshop-table.ts and the live view of src/ui/workshop/): one wording of the marks,
// one choice of the checks to show, and one learner's last verdict and help request from the log.
// Nothing above depends on them.
// ---------------------------------------------------------------------------------------------------

/** Why a row stands out: passed, stuck (and by which rule), asking for help; in the order shown. */
export const learnerMarks = (l: LearnerRow): Localized[] => [
  ...(l.passed ? [L('✓', '✓')] : []),
  ...(l.stuck === 'attempts' ? [L(`STUCK (${l.failedInARow} failed in a row)`, `卡住（连续失败 ${l.failedInARow} 次）`)] : []),
  ...(l.stuck === 'minutes' ? [L(`STUCK (${l.minutes} min)`, `卡住（${l.minutes} 分钟）`)] : []),
  ...(l.help ? [L('HELP', '求助')] : []),
];

/** The checks someone fails right now, most first: a check everybody has since fixed is history, not news. */
export const failingNow = (room: RoomState, count = 3): FailingCheck[] => room.failingChecks.filter((c) => c.learners > 0).slice(0, count);

/** One learner's last verify and last help request (kept after its lesson is passed, marked so). */
export interface LearnerDetail {
  readonly learnerId: string;
  readonly name: string;
  readonly lastVerify: (Verdict & { readonly at: string; readonly lesson: { readonly id: string; readonly number: number } }) | null;
  readonly lastHelp: (HelpRequest & { readonly pending: boolean }) | null;
}

/** What the live view opens for one learner, from the log (the room keeps only the current lesson's counts). */
export const learnerDetail = (events: readonly LoggedEvent[], learnerId: string, room?: RoomState): LearnerDetail | undefined => {
  let name: string | undefined;
  let lastVerify: LearnerDetail['lastVerify'] = null;
  let lastHelp: HelpRequest | null = null;
  for (const { event } of events) {
    if (event.learnerId !== learnerId) continue;
    name = event.name;
    if (event.type === 'verify')
      lastVerify = {
        at: event.at,
        lesson: event.lesson,
        passed: event.passed,
        passedChecks: event.passedChecks,
        failedChecks: event.failedChecks,
        attempts: event.attempts,
      };
    else if (event.type === 'help') lastHelp = { at: event.at, lesson: event.lesson, dockerfile: event.dockerfile, lastVerdict: event.lastVerdict };
  }
  if (name === undefined) return undefined;
  // Pending as the room says: the room is the one rule for when a help request is answered.
  const row = (room ?? computeRoom(events, 0)).learners.find((l) => l.learnerId === learnerId);
  return { learnerId, name, lastVerify, lastHelp: lastHelp ? { ...lastHelp, pending: row?.help?.at === lastHelp.at } : null };
};
