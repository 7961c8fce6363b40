import { mb } from '../outcome.js';

/** One bar of a size chart. */
export interface SizeBar {
  readonly label: string;
  readonly bytes: number;
  readonly note?: string;
}

/** Terminal columns of a label: CJK characters take two. */
const columns = (text: string): number => [...text].reduce((n, ch) => n + (/[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(ch) ? 2 : 1), 0);
const padTo = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - columns(text)));

/**
 * A plain-text bar chart (no colour, no wide characters), so it reads the same in every terminal,
 * in JSON output and in both languages. The longest bar gets `width` cells; a non-zero size always
 * gets at least one.
 */
export const sizeChart = (bars: readonly SizeBar[], width = 32): string => {
  const max = Math.max(...bars.map((b) => b.bytes), 1);
  const labelWidth = Math.max(...bars.map((b) => columns(b.label)));
  return bars
    .map((bar) => {
      const cells = bar.bytes > 0 ? Math.max(1, Math.round((bar.bytes / max) * width)) : 0;
      const size = mb(bar.bytes).padStart(9);
      return `${padTo(bar.label, labelWidth)} ${'#'.repeat(cells).padEnd(width)} ${size}${bar.note ? `  ${bar.note}` : ''}`;
    })
    .join('\n');
};
