import { L, stepLabel, tr, type Localized, type ProgressEvent } from '../engine/index.js';
import type { CommandContext } from './context.js';
import { paint } from './format.js';

/** How often a step that runs long without a word is said to be still running. */
const QUIET_MS = 20_000;

/**
 * Progress on stderr so `--json` stdout stays one JSON object: each check by its title, each build
 * step by the same label the tutorial shows, and, while a step runs long in silence (Go compiling),
 * how long it has run and what it is doing. `stop` ends the ticking.
 */
export const progressPrinter = (ctx: CommandContext, explainSlow: (step: string, elapsedMs: number) => Localized | undefined = () => undefined) => {
  let step: { name: string; since: number } | undefined;
  let spoken = 0;
  const line = (text: string) => ctx.stderr.write(paint(`${text}\n`, 90, ctx.color));
  const timer = setInterval(() => {
    if (!step || Date.now() - spoken < QUIET_MS) return;
    spoken = Date.now();
    const elapsed = Date.now() - step.since;
    const note = explainSlow(step.name, elapsed);
    const secs = Math.round(elapsed / 1000);
    line(`    ${tr(L(`${secs} s in ${stepLabel(step.name)}`, `${stepLabel(step.name)} 已运行 ${secs} 秒`), ctx.lang)}${note ? `: ${tr(note, ctx.lang)}` : ''}`);
  }, 1000);
  // A verify must never be kept alive by its progress ticker.
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    onProgress: (event: ProgressEvent): void => {
      if (event.type === 'build-step' && event.step !== step?.name) {
        step = { name: event.step, since: Date.now() };
        spoken = Date.now();
        line(`  … ${stepLabel(event.step)}`);
      } else if (event.type === 'check-start') {
        step = undefined;
        line(`→ ${tr(event.title, ctx.lang)}`);
      } else if (event.type === 'note') {
        line(`  ${tr(event.message, ctx.lang)}`);
      }
    },
  };
};
