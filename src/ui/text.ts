import { styledCharsFromTokens, styledCharsToString, tokenize, type StyledChar } from '@alcalzone/ansi-tokenize';
import stringWidth from 'string-width';
import { terminalSafe } from '../engine/index.js';

// Widths come from string-width and ANSI parsing from @alcalzone/ansi-tokenize: the same libraries
// Ink lays text out with, so a line wrapped here to `width` takes exactly one row in Ink.

/** Display width in terminal columns (ANSI codes ignored, CJK = 2). */
export const widthOf = (text: string): number => stringWidth(text);

// Han, kana, Hangul, CJK punctuation and full-width forms: a line may break between any two of them.
const CJK = /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA960-\uA97F\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/;
// Closing punctuation never starts a line (kinsoku).
const NO_BREAK_BEFORE = /^[，。、；：！？）》」』】〕〉…,.;:!?)\]}]$/;

const charWidth = (char: StyledChar): number => stringWidth(char.value);
const isSpace = (char: StyledChar): boolean => char.value === ' ';
const lineWidth = (chars: readonly StyledChar[]): number => chars.reduce((sum, char) => sum + charWidth(char), 0);
const trimEnd = (chars: StyledChar[]): StyledChar[] => {
  let end = chars.length;
  while (end > 0 && isSpace(chars[end - 1] as StyledChar)) end -= 1;
  return chars.slice(0, end);
};

// "  * item" and "  1. item" continue under the item's text.
const hangingIndent = (line: string, width: number): number => {
  const plain = line.replace(/\u001B\[[0-9;]*m/g, '');
  const match = /^(\s*)([*\-+•]\s+|\d+\.\s+)?/.exec(plain);
  const indent = stringWidth(match?.[0] ?? '');
  return indent < width / 2 ? indent : 0;
};

const wrapLine = (line: string, width: number): string[] => {
  const chars = styledCharsFromTokens(tokenize(line));
  const indent = hangingIndent(line, width);
  const pad = (): StyledChar[] => Array.from({ length: indent }, () => ({ type: 'char', value: ' ', fullWidth: false, styles: [] }));
  const rows: StyledChar[][] = [];
  let row: StyledChar[] = [];
  let used = 0;
  // Indexes in `row` where it may be cut: after a space, and before/after a CJK character.
  let cuts: number[] = [];
  const newRow = (carry: StyledChar[]) => {
    rows.push(trimEnd(row));
    row = [...pad(), ...carry];
    used = lineWidth(row);
    cuts = [];
  };
  for (const char of chars) {
    const w = charWidth(char);
    const cjk = CJK.test(char.value);
    const noBreakBefore = NO_BREAK_BEFORE.test(char.value);
    if (used + w > width && row.length > 0) {
      if (isSpace(char)) {
        newRow([]);
        continue;
      }
      if (cjk && !noBreakBefore) {
        newRow([]);
      } else {
        // The last place to cut; closing punctuation takes the character before it along.
        const cut = cuts.filter((c) => c > indent && (noBreakBefore ? c < row.length : c <= row.length)).pop();
        const carry = cut === undefined ? [] : row.slice(cut);
        if (cut !== undefined) row = row.slice(0, cut);
        newRow(carry.filter((c, i) => i > 0 || !isSpace(c)));
      }
      // A carried word plus the hanging indent can still be too wide: then it is cut here.
      if (used + w > width && row.length > indent) newRow([]);
    }
    if (cjk && !noBreakBefore) cuts.push(row.length);
    row.push(char);
    used += w;
    if (isSpace(char) || cjk) cuts.push(row.length);
  }
  rows.push(trimEnd(row));
  return rows.map((chars) => styledCharsToString(chars));
};

/**
 * Wraps text (ANSI-aware) into lines no wider than `width`: at spaces, and between CJK characters
 * (Chinese has no spaces; breaking only at spaces would leave half-empty lines). Styles continue
 * on the next line; over-long words are cut.
 */
export const wrapText = (text: string, width: number): string[] =>
  // Made terminal-safe before measuring, so the visible spelling of a control character is counted.
  terminalSafe(text, { keepStyles: true })
    .replace(/\t/g, '    ')
    .replace(/\r/g, '')
    .split('\n')
    .flatMap((line) => (line === '' ? [''] : wrapLine(line, Math.max(2, width))));

/** Repeats a one-column character to fill a width. */
export const rule = (char: string, width: number): string => char.repeat(Math.max(0, width));
