import { slowStepNote, stepLabel, tr, type Lang } from '../engine/index.js';
import { wrapToLines, type Line } from './line.js';
import type { Icons } from './theme.js';
import { stepDuration, type VerifyProgress } from './verify-progress.js';

export { stepLabel };

export const STEPS_SHOWN = 3;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1).padStart(5)}s`;

/**
 * The rows under the spinner while a verify runs: the last build steps with their time (the
 * current one ticking), then the last output lines, what a long silent step is doing (Go compiles
 * for minutes without a word), then the engine's latest note.
 */
export const progressLines = (options: {
  readonly progress: VerifyProgress;
  readonly now: number;
  readonly lang: Lang;
  readonly width: number;
  readonly icons: Icons;
  readonly maxLines: number;
  /** The lesson's number: before the caching lesson, a slow build says why and where it gets fast. */
  readonly lessonNumber?: number;
}): Line[] => {
  const { progress, now, icons, width } = options;
  const lines: Line[] = progress.steps.slice(-STEPS_SHOWN).map((step) => {
    const current = step.step === progress.currentStep;
    return {
      text: `${seconds(stepDuration(progress, step, now, true))}  ${stepLabel(step.step)}`,
      tone: current ? undefined : 'muted',
      lead: current ? { text: `${icons.step} `, tone: 'info', bold: true } : { text: `${icons.status.pass} `, tone: 'muted' },
    };
  });
  for (const out of progress.tail) lines.push({ text: out, dim: true, lead: { text: `${icons.output} `, tone: 'muted' } });
  const current = progress.steps.find((step) => step.step === progress.currentStep);
  const slow = current && slowStepNote(current.step, stepDuration(progress, current, now, true), options.lessonNumber);
  if (slow) lines.push(...wrapToLines(tr(slow, options.lang), width, { tone: 'info' }).slice(0, 3));
  if (progress.note) lines.push(...wrapToLines(tr(progress.note, options.lang), width, { tone: 'info' }).slice(0, 2));
  // When rows are short, the newest information wins.
  return lines.slice(Math.max(0, lines.length - Math.max(0, options.maxLines)));
};
