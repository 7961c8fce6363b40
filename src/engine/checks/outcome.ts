import { L, cjkGlue, type Localized } from '../i18n.js';
import type { CheckOutcome, CheckStatus, Measured, SkipReason } from './types.js';

/**
 * The one way to build what a check returns. A message says what was measured and, on a failure,
 * what to change; `line` points at the Dockerfile; `reason` says why a check was skipped, so each
 * renderer decides how to show a reason shared by several checks.
 */
export const outcome = (
  status: CheckStatus,
  message: Localized,
  extra: { readonly line?: number | null; readonly measured?: Measured; readonly reason?: SkipReason } = {},
): CheckOutcome => ({
  status,
  message,
  ...(extra.line !== undefined && extra.line !== null ? { line: extra.line } : {}),
  ...(extra.measured ? { measured: extra.measured } : {}),
  ...(extra.reason ? { reason: extra.reason } : {}),
});

export const pass = (message: Localized, measured?: Measured, line?: number | null): CheckOutcome => outcome('pass', message, { measured, line });
export const fail = (message: Localized, measured?: Measured, line?: number | null): CheckOutcome => outcome('fail', message, { measured, line });
export const unknown = (message: Localized, line?: number | null): CheckOutcome => outcome('unknown', message, { line });
export const skip = (message: Localized, reason?: SkipReason, measured?: Measured): CheckOutcome => outcome('skip', message, { reason, measured });

/** Joins localized pieces with a space (empty pieces dropped); after quoted lines, a new line. */
export const join = (...parts: (Localized | undefined | false)[]): Localized => {
  const kept = parts.filter((p): p is Localized => Boolean(p && p.en));
  const glue = (texts: string[], sep: (before: string, after: string) => string) =>
    // A part that starts on a line of its own (a chart) needs no space before it.
    texts.reduce((all, text, i) => (i === 0 ? text : `${all}${/\n {2}\| [^\n]*$/.test(all) ? '\n' : text.startsWith('\n') ? '' : sep(all, text)}${text}`), '');
  return L(
    glue(
      kept.map((p) => p.en),
      () => ' ',
    ),
    glue(
      kept.map((p) => p['zh-CN']),
      (before, after) => cjkGlue(before, after, ''),
    ),
  );
};

/** A message that starts with the line it is about: "Line 12: …" / "第 12 行：…". */
export const atLine = (line: number | null | undefined, en: string, zh: string): Localized =>
  line === null || line === undefined ? L(en, zh) : L(`Line ${line}: ${en}`, `第 ${line} 行：${zh}`);

/** Sizes as people say them: "23.1 MB", "1.43 GB" (not "1431.0 MB"). */
export const mb = (bytes: number): string => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`);
export const secs = (seconds: number): string => `${seconds.toFixed(1)} s`;
/** The same for Chinese text: 0.4 秒 (the English unit in a Chinese sentence read as a slip). */
export const secsZh = (seconds: number): string => `${seconds.toFixed(1)} 秒`;

/** A count with its noun: "1 stage", "3 stages" (English; Chinese needs no plural). */
export const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Quotes output lines under a message. */
export const quoteLines = (lines: readonly string[]): string => (lines.length ? `\n  | ${lines.join('\n  | ')}` : '');

/** A sentence's end before quoted output: a colon and the lines, or a full stop when there are none (never a colon left hanging). */
export const endWithLines = (lines: readonly string[]): Localized => (lines.length ? L(`:${quoteLines(lines)}`, `：${quoteLines(lines)}`) : L('.', '。'));

/** Masks a secret for display: "s3cr3t-value" -> "s3…(12 chars)". */
export const mask = (value: string): string => `${value.slice(0, 2)}…(${value.length} chars)`;
