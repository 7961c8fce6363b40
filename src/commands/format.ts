import { tr, type CheckReport, type CheckStatus, type Lang } from '../engine/index.js';

const ICONS: Record<CheckStatus, string> = { pass: '✓', fail: '✗', skip: '-', unknown: '?', error: '!' };
const COLORS: Record<CheckStatus, number> = { pass: 32, fail: 31, skip: 90, unknown: 33, error: 35 };

export const paint = (text: string, code: number, color: boolean): string => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
export const bold = (text: string, color: boolean): string => (color ? `\u001b[1m${text}\u001b[22m` : text);

/** What follows a name before what is said of it: ": " in English, "：" in Chinese. */
export const colonFor = (lang: Lang): string => (lang === 'zh-CN' ? '：' : ': ');

/** Whether to use ANSI colours: never with NO_COLOR or a non-TTY, as users expect. */
export const useColor = (stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean =>
  !('NO_COLOR' in env) && env.FORCE_COLOR !== '0' && (env.FORCE_COLOR !== undefined || stream.isTTY === true);

/** One check as plain text: icon, title, id, then the message (and line) indented. */
export const formatCheck = (check: CheckReport, lang: Lang, color: boolean): string => {
  const icon = paint(ICONS[check.status], COLORS[check.status], color);
  const where = check.line !== undefined ? (lang === 'en' ? ` (line ${check.line})` : `（第 ${check.line} 行）`) : '';
  const message = tr(check.message, lang)
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
  return `  ${icon} ${bold(tr(check.title, lang), color)}  ${paint(check.id, 90, color)}${where}\n${message}`;
};

export const statusCounts = (checks: readonly CheckReport[]): Record<CheckStatus, number> => {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, skip: 0, unknown: 0, error: 0 };
  for (const c of checks) counts[c.status] += 1;
  return counts;
};
