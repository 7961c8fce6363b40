import { describeFailure, tr, type Lang, type Localized } from '../../engine/index.js';
import { wrapToLines, type Line } from '../line.js';
import { M, fillL, joinL, same } from '../messages.js';
import type { Theme } from '../theme.js';
import { Lines } from './Lines.js';

/** The error's own text: what went wrong and what to do, in both languages (the CLI's formatter). */
export const errorText = (error: unknown): Localized => {
  const failure = describeFailure(error);
  if (failure.kind === 'bug') return same(error instanceof Error ? error.message : String(error));
  return failure.next ? joinL([failure.message, failure.next]) : failure.message;
};

/** What went wrong, as a sentence of its own. */
export const describeError = (error: unknown): Localized =>
  describeFailure(error).kind === 'bug' ? fillL(M.error.generic, { error: errorText(error) }) : errorText(error);

export const errorLines = (error: unknown, lang: Lang, width: number): Line[] =>
  wrapToLines(tr(describeError(error), lang), width, { tone: 'bad', lead: { text: '! ', tone: 'bad', bold: true } });

interface Props {
  readonly error: unknown;
  readonly lang: Lang;
  readonly width: number;
  readonly maxLines: number;
  readonly theme: Theme;
}

/** A red "! what went wrong and what to do" block. */
export const ErrorBanner = ({ error, lang, width, maxLines, theme }: Props) => (
  <Lines lines={errorLines(error, lang, width).slice(0, maxLines)} theme={theme} />
);
