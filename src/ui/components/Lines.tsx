import { Box, Text } from 'ink';
import { terminalSafe } from '../../engine/index.js';
import type { Line } from '../line.js';
import { styleFor, type Theme } from '../theme.js';

interface Props {
  readonly lines: readonly Line[];
  readonly theme: Theme;
}

/**
 * Renders pre-wrapped lines, one terminal row each (truncated, never re-wrapped, so heights stay exact).
 * Ink's output boundary for messages: check results, errors and notices quote the learner's files.
 */
export const Lines = ({ lines, theme }: Props) => (
  <Box flexDirection="column">
    {lines.map((line, index) => (
      <Text key={index} wrap="truncate-end">
        {line.lead ? <Text {...styleFor(theme, line.lead.tone, { bold: line.lead.bold })}>{terminalSafe(line.lead.text)}</Text> : null}
        <Text {...styleFor(theme, line.tone, { bold: line.bold, dim: line.dim })}>{terminalSafe(line.text) || ' '}</Text>
      </Text>
    ))}
  </Box>
);
