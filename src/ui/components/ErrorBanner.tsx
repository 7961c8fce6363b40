import { tr, type Lang, type Localized } from '../../engine/i18n.js';
import { asUserError } from '../../engine/fs-errors.js';
import { wrapToLines, type Line } from '../line.js';
import { M, fillL, joinL, same } from '../messages.js';
import type { Theme } from '../theme.js';
import { Lines } from './Lines.js';

/** The error's own text: a UserError's message and next step in both languages, else the system's text. */
export const errorText = (error: unknown): Localized => {
  // The same mapping as the CLI's: a link loop or a full disk reads as what to do, in both languages.
  const user = asUserError(error);
  if (user) return user.next ? joinL([user.localized, user.next]) : user.localized;
  return same(error instanceof Error ? error.message : String(error));
};

/** What went wrong, as a sentence of its own. */
export const describeError = (error: unknown): Localized =>
  asUserError(error) ? errorText(error) : fillL(M.error.generic, { error: errorText(error) });

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
