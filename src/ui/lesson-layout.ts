import { explainOnce, tr, type CheckReport, type Lang, type VerifyResult } from '../engine/index.js';
import { checkLines, partialLines } from './check-lines.js';
import { packHints } from './components/KeyHints.js';
import { hintsFor, type KeyHint, type Mode } from './keys.js';
import { wrapToLines, type Line } from './line.js';
import { M, fillL } from './messages.js';
import type { Notice } from './notices.js';
import { progressLines } from './progress-lines.js';
import type { Icons } from './theme.js';
import type { VerifyProgress } from './verify-progress.js';

// The lesson text keeps at least half of the rows under the header (and never fewer than this
// many); the results panel gives way first, `d` shows every verdict in full.
const MIN_VIEW = 4;
const NOTICE_MAX = 4;
const STATUS_MAX = 3;
const PROGRESS_MAX = 7;

export interface LessonLayoutInput {
  readonly lang: Lang;
  readonly width: number;
  /** Rows the screen may use. */
  readonly height: number;
  readonly icons: Icons;
  readonly mode: Mode;
  readonly status: Notice;
  /** The y/n question or the last notice. */
  readonly notice?: Notice & { readonly question?: boolean };
  readonly progress?: VerifyProgress;
  /** Verdicts of the running verify known so far (static ones come first). */
  readonly partial?: readonly CheckReport[];
  readonly now: number;
  readonly result?: VerifyResult;
  /** The lesson's number (a slow build before the caching lesson says why). */
  readonly lessonNumber?: number;
}

export interface LessonLayout {
  readonly hints: readonly KeyHint[];
  readonly statusLines: readonly Line[];
  readonly noticeLines: readonly Line[];
  /** "Lesson passed!", what was learned and the next-step offer, after a pass. */
  readonly outro: readonly Line[];
  readonly checkMax: number;
  readonly progressMax: number;
  /** Verdicts shown above the progress of a running verify. */
  readonly partialLines: readonly Line[];
  /** Rows left for the lesson text (or the solution, or the help). */
  readonly viewHeight: number;
}

/**
 * Splits the screen: header, scrolling text, rule, results (or build progress), notice, watch status,
 * key hints. Every part below the text is pre-wrapped, so its height is known before drawing and the
 * whole screen fits the terminal (at 80x24 too) with the key hints always visible.
 */
export const layoutLesson = (input: LessonLayoutInput): LessonLayout => {
  const { lang, width, result } = input;
  const hints = hintsFor(input.mode);
  const statusLines = wrapToLines(tr(input.status.message, lang), width, { tone: input.status.tone }).slice(0, STATUS_MAX);
  const noticeLines = input.notice
    ? wrapToLines(tr(input.notice.message, lang), width, { tone: input.notice.tone, bold: input.notice.question }).slice(0, NOTICE_MAX)
    : [];
  const fixedRows = 2 + packHints(hints, lang, width).length + statusLines.length + noticeLines.length; // + header + rule
  // The lesson text keeps half of the rows under the header; key hints, status, notice and the
  // results panel share the other half (the panel gives way first, down to two rows).
  const content = input.height - 2;
  const viewMin = Math.max(MIN_VIEW, Math.ceil(content / 2));
  const panelBudget = Math.max(2, content - viewMin - (fixedRows - 2));
  const outro: Line[] =
    result?.passed && !input.progress
      ? [
          ...wrapToLines(tr(M.verify.passed, lang), width, { tone: 'ok', bold: true }),
          ...(result.learned ? wrapToLines(tr(fillL(M.verify.learned, { text: result.learned }), lang), width, { tone: 'ok' }) : []),
          ...wrapToLines(tr(M.verify.offer, lang), width, { tone: 'info' }),
        ]
      : [];
  const checkMax = Math.max(2, panelBudget - outro.length);
  // While a verify runs, the verdicts known so far take up to half the panel; the progress the rest.
  const partial =
    input.progress && input.partial?.length
      ? partialLines(input.partial, { lang, width, icons: input.icons, maxLines: Math.max(1, Math.floor((panelBudget - 1) / 2)) })
      : [];
  const progressMax = Math.max(1, Math.min(PROGRESS_MAX, panelBudget - 1 - partial.length));
  const panelRows = input.progress
    ? partial.length +
      1 +
      progressLines({ progress: input.progress, now: input.now, lang, width, icons: input.icons, maxLines: progressMax, lessonNumber: input.lessonNumber })
        .length
    : result
      ? checkLines(explainOnce(result.checks, result.blocking), { lang, width, icons: input.icons, maxLines: checkMax }).length + outro.length
      : 1;
  return {
    hints,
    statusLines,
    noticeLines,
    outro,
    checkMax,
    progressMax,
    partialLines: partial,
    viewHeight: Math.max(1, input.height - fixedRows - panelRows),
  };
};
