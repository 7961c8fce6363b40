import { Box, Text } from 'ink';
import { terminalSafe, tr, type Lang } from '../../engine/index.js';
import { M, fillL } from '../messages.js';
import { progressLines } from '../progress-lines.js';
import { iconsFor, styleFor, type Theme } from '../theme.js';
import type { VerifyProgress } from '../verify-progress.js';
import { Lines } from './Lines.js';

interface Props {
  readonly progress: VerifyProgress;
  /** Title of the check running now (its id when the title is not known yet). */
  readonly checkTitle?: string;
  readonly startedAt: number;
  readonly now: number;
  /** How often `now` moves: the spinner turns one frame per tick. */
  readonly tickMs: number;
  readonly cancelling: boolean;
  readonly quitting: boolean;
  readonly lang: Lang;
  readonly width: number;
  /** Rows under the spinner line. */
  readonly maxLines: number;
  readonly lessonNumber?: number;
  readonly theme: Theme;
}

/**
 * The spinner's frames, one per tick of the screen's clock (`now`). A spinner with a timer of its
 * own (80 ms) made Ink redraw the whole screen 12 times a second during a verify; every redraw
 * re-tokenises each line on screen, which grew the heap by 30 MiB a second of building.
 */
const FRAMES = { unicode: ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'], ascii: ['-', '\\', '|', '/'] } as const;

export const spinnerFrame = (now: number, tickMs: number, unicode: boolean): string => {
  const frames = unicode ? FRAMES.unicode : FRAMES.ascii;
  return frames[Math.floor(now / tickMs) % frames.length] ?? frames[0];
};

/** Spinner, current check, total time, then the build steps and output (1 + progressLines rows). */
export const BuildProgress = (props: Props) => {
  const { progress, lang, theme } = props;
  // Clocks of two components may be read a moment apart: never a negative time.
  const elapsed = tr(fillL(M.verify.elapsed, { s: Math.max(0, Math.floor((props.now - props.startedAt) / 1000)) }), lang);
  const headline = props.cancelling
    ? tr(props.quitting ? M.verify.quitting : M.verify.cancelling, lang)
    : [tr(M.verify.running, lang), props.checkTitle ? tr(fillL(M.verify.check, { check: props.checkTitle }), lang) : '', elapsed].filter(Boolean).join(' · ');
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        <Text {...styleFor(theme, 'info')}>{spinnerFrame(props.now, props.tickMs, theme.unicode)}</Text>{' '}
        <Text {...styleFor(theme, props.cancelling ? 'warn' : undefined, { bold: true })}>{terminalSafe(headline)}</Text>
      </Text>
      <Lines
        lines={progressLines({
          progress,
          now: props.now,
          lang,
          width: props.width,
          icons: iconsFor(theme),
          maxLines: props.maxLines,
          lessonNumber: props.lessonNumber,
        })}
        theme={theme}
      />
    </Box>
  );
};
