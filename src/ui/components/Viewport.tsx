import { Box, Text } from 'ink';
import { terminalSafe } from '../../engine/index.js';

interface Props {
  /** Pre-wrapped lines (they may carry ANSI styling from the markdown renderer). */
  readonly lines: readonly string[];
  readonly offset: number;
  readonly height: number;
}

/** A fixed-height window onto long text (the lesson, the solution, the help): the scrolling part of the screen. */
export const Viewport = ({ lines, offset, height }: Props) => (
  <Box flexDirection="column" height={height} overflow="hidden">
    {lines.slice(offset, offset + height).map((line, index) => (
      <Text key={offset + index} wrap="truncate-end">
        {terminalSafe(line, { keepStyles: true }) || ' '}
      </Text>
    ))}
  </Box>
);
