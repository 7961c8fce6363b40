import { Text } from 'ink';
import { tr, type Lang } from '../../engine/index.js';
import { M, fillL } from '../messages.js';
import { iconsFor, styleFor, type Theme } from '../theme.js';

interface Props {
  readonly done: number;
  readonly total: number;
  /** Columns for the bar itself. */
  readonly barWidth: number;
  readonly lang: Lang;
  readonly theme: Theme;
}

/** "5/18 done ██████░░░░░░". */
export const ProgressBar = ({ done, total, barWidth, lang, theme }: Props) => {
  const icons = iconsFor(theme);
  const filled = total === 0 ? 0 : Math.round((done / total) * barWidth);
  return (
    <Text wrap="truncate-end">
      <Text {...styleFor(theme, undefined, { bold: true })}>{tr(fillL(M.list.progress, { done, total }), lang)}</Text>{' '}
      <Text {...styleFor(theme, 'ok')}>{icons.barFull.repeat(filled)}</Text>
      <Text {...styleFor(theme, 'muted')}>{icons.barEmpty.repeat(Math.max(0, barWidth - filled))}</Text>
    </Text>
  );
};
