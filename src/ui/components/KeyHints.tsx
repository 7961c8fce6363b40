import { Box, Text } from 'ink';
import { tr, type Lang } from '../../engine/index.js';
import type { KeyHint } from '../keys.js';
import { widthOf } from '../text.js';
import { styleFor, type Theme } from '../theme.js';

const GAP = '  ';

/** Groups hints into rows that fit the width; exported so the screen can count the rows. */
export const packHints = (hints: readonly KeyHint[], lang: Lang, width: number): KeyHint[][] => {
  const rows: KeyHint[][] = [];
  let row: KeyHint[] = [];
  let used = 0;
  for (const hint of hints) {
    const size = widthOf(`${hint.label} ${tr(hint.text, lang)}`);
    const needed = row.length === 0 ? size : used + GAP.length + size;
    if (row.length > 0 && needed > width) {
      rows.push(row);
      row = [hint];
      used = size;
    } else {
      row.push(hint);
      used = needed;
    }
  }
  if (row.length > 0) rows.push(row);
  return rows;
};

interface Props {
  readonly hints: readonly KeyHint[];
  readonly lang: Lang;
  readonly width: number;
  readonly theme: Theme;
}

/** The always-visible key bar: "v verify  h hint  ...". */
export const KeyHints = ({ hints, lang, width, theme }: Props) => (
  <Box flexDirection="column">
    {packHints(hints, lang, width).map((row, index) => (
      <Text key={index} wrap="truncate-end">
        {row.map((hint, i) => (
          <Text key={`${hint.label}-${i}`}>
            {i > 0 ? GAP : ''}
            <Text {...styleFor(theme, 'accent', { bold: true })}>{hint.label}</Text>
            <Text {...styleFor(theme, 'muted')}> {tr(hint.text, lang)}</Text>
          </Text>
        ))}
      </Text>
    ))}
  </Box>
);
