import type { CheckReport, Lang } from '../../engine/index.js';
import { checkLines } from '../check-lines.js';
import { iconsFor, type Theme } from '../theme.js';
import { Lines } from './Lines.js';

interface Props {
  readonly checks: readonly CheckReport[];
  readonly lang: Lang;
  readonly width: number;
  readonly maxLines: number;
  readonly theme: Theme;
}

/** The results of the last verify: summary, then each check (see checkLines for what is shown). */
export const CheckList = ({ checks, lang, width, maxLines, theme }: Props) => (
  <Lines lines={checkLines(checks, { lang, width, maxLines, icons: iconsFor(theme) })} theme={theme} />
);
