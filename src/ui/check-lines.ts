import { tr, type CheckReport, type CheckStatus, type Lang } from '../engine/index.js';
import { wrapToLines, type Line } from './line.js';
import { M, fillL } from './messages.js';
import { STATUS_TONES, type Icons } from './theme.js';

/** " (lesson 8)": the lesson that teaches a check, as the capstone's scorecard shows it. */
const taughtIn = (check: CheckReport & { readonly lesson?: number }, lang: Lang): string =>
  check.lesson === undefined ? '' : lang === 'zh-CN' ? `（第 ${check.lesson} 课）` : ` (lesson ${check.lesson})`;

const checkText = (check: CheckReport, lang: Lang, full: boolean): string => {
  const title = `${tr(check.title, lang)}${taughtIn(check, lang)}`;
  if (!full) return title;
  const message = tr(check.message, lang);
  // The line goes with the title, never after the message: a message may end in a command to copy.
  // (The message already says what was measured, in words; the raw values are for --json.)
  const where = check.line !== undefined ? tr(fillL(M.checks.atLine, { line: check.line }), lang) : '';
  return message ? `${title}${where}${tr(M.checks.titleSep, lang)}${message}` : `${title}${where}`;
};

const COUNTED: readonly [CheckStatus, typeof M.checks.failed][] = [
  ['fail', M.checks.failed],
  ['unknown', M.checks.unknown],
  ['skip', M.checks.skipped],
  ['error', M.checks.errored],
];

/** "3/5 checks passed · 1 failed · 1 skipped". */
export const summaryText = (checks: readonly CheckReport[], lang: Lang): string => {
  const count = (status: CheckStatus) => checks.filter((check) => check.status === status).length;
  const parts = [tr(fillL(M.checks.summary, { passed: count('pass'), total: checks.length }), lang)];
  for (const [status, message] of COUNTED) {
    const n = count(status);
    if (n > 0) parts.push(tr(fillL(message, { n }), lang));
  }
  parts.push(tr(M.checks.detailsKey, lang));
  return parts.join(' · ');
};

export interface CheckLinesOptions {
  readonly lang: Lang;
  readonly width: number;
  readonly icons: Icons;
  /** Rows available, summary included. */
  readonly maxLines: number;
}

const layout = (checks: readonly CheckReport[], options: CheckLinesOptions, fullFor: (check: CheckReport) => boolean): Line[] =>
  checks.flatMap((check) =>
    wrapToLines(checkText(check, options.lang, fullFor(check)), options.width, {
      lead: { text: `${options.icons.status[check.status]} `, tone: STATUS_TONES[check.status], bold: true },
    }),
  );

/**
 * The results panel: a summary line, then every check with its status icon, title, message and line.
 * When that does not fit, passing checks shrink to their title first, then every check to one line
 * (failures first); `d` opens them all in full.
 */
export const checkLines = (checks: readonly CheckReport[], options: CheckLinesOptions): Line[] => {
  const failed = checks.some((check) => check.status !== 'pass');
  const summary: Line = { text: summaryText(checks, options.lang), tone: failed ? 'bad' : 'ok', bold: true };
  const room = Math.max(1, options.maxLines - 1);
  const failuresFirst = [...checks.filter((c) => c.status !== 'pass'), ...checks.filter((c) => c.status === 'pass')];
  const attempts = [
    () => layout(checks, options, () => true),
    () => layout(checks, options, (check) => check.status !== 'pass'),
    () => layout(failuresFirst, options, (check) => check.status !== 'pass'),
    // One line per check; `d` shows them all in full.
    () => partialLines(failuresFirst, { ...options, maxLines: failuresFirst.length }),
  ];
  let body: Line[] = [];
  for (const attempt of attempts) {
    body = attempt();
    if (body.length <= room) return [summary, ...body];
  }
  const shown = body.slice(0, Math.max(0, room - 1));
  const more = tr(fillL(M.checks.more, { n: body.length - shown.length }), options.lang);
  return [summary, ...shown, ...wrapToLines(more, options.width, { tone: 'muted' }).slice(0, 1)];
};

/**
 * Verdicts already known while a verify runs (the static checks, in milliseconds; Docker checks as
 * they finish): a failure in full when they all fit (it can be read and fixed while Docker builds),
 * else one line each, a failure with the start of its message.
 */
export const partialLines = (checks: readonly CheckReport[], options: CheckLinesOptions): Line[] => {
  // In full as the results panel shows them: a pass is its title, a failure its whole message.
  const full = layout(checks, options, (check) => check.status !== 'pass');
  if (full.length <= options.maxLines) return full;
  return checks.slice(-options.maxLines).map((check) => {
    const title = checkText(check, options.lang, false);
    const first = check.status === 'pass' ? '' : (tr(check.message, options.lang).split('\n')[0] ?? '');
    const text = first ? `${title}${tr(M.checks.titleSep, options.lang)}${first}` : title;
    const lines = wrapToLines(text, options.width, {
      lead: { text: `${options.icons.status[check.status]} `, tone: STATUS_TONES[check.status], bold: true },
    });
    const line = lines[0] as Line;
    // Cut to one line: say so, so a half sentence is never read as the whole verdict (`d` has it).
    // Cut at a word (never inside a number: "1.4…" for 1.40 GB would mislead); Chinese has no spaces: a character.
    const cut = /\s\S+$/u.test(line.text) ? line.text.replace(/\s+\S+$/u, '') : line.text.slice(0, -1);
    return lines.length > 1 ? { ...line, text: `${cut}…` } : line;
  });
};
