import { explainOnce, tr, type Lang, type SolutionView, type VerifyResult } from '../engine/index.js';
import { helpEntries } from './keys.js';
import { M, fillL } from './messages.js';
import { rule, widthOf, wrapText } from './text.js';
import type { Icons } from './theme.js';

/** The solution files as viewport lines: a ruled header per file, then its content. */
export const solutionLines = (view: SolutionView, lang: Lang, width: number, icons: Icons): string[] => {
  const lines = wrapText(tr(fillL(M.solution.title, { files: view.files.map((file) => file.path).join(', ') }), lang), width);
  for (const file of view.files) {
    const title = ` ${file.path} `;
    lines.push('', `${rule(icons.rule, 2)}${title}${rule(icons.rule, width - 2 - widthOf(title))}`);
    for (const line of file.content.replace(/\n$/, '').split('\n')) lines.push(...wrapText(line, width));
  }
  return lines;
};

/** The help screen: every key and what it does, then how watch mode behaves. */
export const helpLines = (lang: Lang, width: number): string[] => {
  const entries = helpEntries();
  const labelWidth = Math.max(...entries.map((entry) => widthOf(entry.label)));
  return [
    ...wrapText(tr(M.help.title, lang), width),
    '',
    ...entries.flatMap((entry) => wrapText(`  ${entry.label.padEnd(labelWidth)}  ${tr(entry.text, lang)}`, width)),
    '',
    ...wrapText(tr(M.help.watch, lang), width),
    ...wrapText(tr(M.help.close, lang), width),
  ];
};

/** Every verdict of the last verify in full (what was measured, what to change), failures first. */
export const detailsLines = (result: VerifyResult, lang: Lang, width: number, icons: Icons): string[] => {
  const checks = explainOnce(result.checks, result.blocking);
  const order = [...checks.filter((c) => c.status !== 'pass'), ...checks.filter((c) => c.status === 'pass')];
  const lines = wrapText(tr(M.checks.detailsTitle, lang), width);
  for (const check of order) {
    const where = check.line !== undefined ? tr(fillL(M.checks.atLine, { line: check.line }), lang) : '';
    lines.push('', ...wrapText(`${icons.status[check.status]} ${tr(check.title, lang)}${where}`, width));
    for (const line of tr(check.message, lang).split('\n')) lines.push(...wrapText(`  ${line}`, width));
  }
  return lines;
};
