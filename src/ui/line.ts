import { terminalSafe } from '../engine/index.js';
import { widthOf, wrapText } from './text.js';
import type { Tone } from './theme.js';

/**
 * One terminal row, already wrapped to the screen width. Panels are built as Line arrays so the
 * lesson screen knows their exact height and can give the rest of the screen to the lesson text.
 */
export interface Line {
  readonly text: string;
  readonly tone?: Tone;
  readonly bold?: boolean;
  readonly dim?: boolean;
  /** A styled prefix (a status icon) before the text. */
  readonly lead?: { readonly text: string; readonly tone?: Tone; readonly bold?: boolean };
}

/** Wraps a text into lines; the lead sits on the first line and continuation lines are indented under the text. */
export const wrapToLines = (text: string, width: number, style: Omit<Line, 'text'> = {}): Line[] => {
  const leadWidth = style.lead ? widthOf(style.lead.text) : 0;
  // Messages carry no styles of their own (tones are Ink props), so any escape in one came from a
  // learner's file: shown escaped, and measured as shown.
  const pieces = wrapText(terminalSafe(text), Math.max(1, width - leadWidth));
  return pieces.map((piece, index) => ({
    ...style,
    text: piece,
    lead: style.lead ? (index === 0 ? style.lead : { text: ' '.repeat(leadWidth) }) : undefined,
  }));
};
