import { checkShippedLessons, tr, type LessonCheckResult } from '../engine/index.js';
import { say, type CommandContext } from './context.js';
import { formatCheck, paint } from './format.js';

/**
 * `dev-check [--lesson ID]... [--chain] [--static-only] [--json]`: for course authors and CI.
 * Exit 0 when every start fails exactly as declared and every solution passes, else 1.
 */
export const devCheckCommand = async (
  ctx: CommandContext,
  options: { lessons: string[]; chain: boolean; staticOnly: boolean; json: boolean },
): Promise<number> => {
  const print = (r: LessonCheckResult): void => {
    if (options.json) return;
    const ok = r.startOk && r.solutionOk;
    say(ctx, `${paint(ok ? '✓' : '✗', ok ? 32 : 31, ctx.color)} ${r.lesson} (${r.seconds.toFixed(1)} s)`);
    if (!r.startOk) {
      say(ctx, `    start failed: [${r.startFailing.join(', ')}], declared: [${r.expectedFailing.join(', ')}]`);
      for (const c of r.start) if (c.status !== 'pass') say(ctx, formatCheck(c, ctx.lang, ctx.color));
    }
    if (!r.solutionOk) {
      say(ctx, '    solution did not pass:');
      for (const c of r.solution) if (c.status !== 'pass') say(ctx, formatCheck(c, ctx.lang, ctx.color));
    }
  };
  const results = await checkShippedLessons({
    only: options.lessons,
    chain: options.chain,
    staticOnly: options.staticOnly,
    signal: ctx.signal,
    onProgress: (lesson, event) => {
      if (!options.json && event.type === 'check-start') ctx.stderr.write(paint(`  ${lesson} → ${event.id}\n`, 90, ctx.color));
    },
    onLesson: print,
  });
  const failed = results.filter((r) => !(r.startOk && r.solutionOk));
  if (options.json) {
    const plain = (checks: LessonCheckResult['start']) =>
      checks.map((c) => ({ id: c.id, status: c.status, message: tr(c.message, ctx.lang), ...(c.measured ? { measured: c.measured } : {}) }));
    ctx.stdout.write(
      `${JSON.stringify(
        results.map((r) => ({ ...r, start: plain(r.start), solution: plain(r.solution) })),
        null,
        2,
      )}\n`,
    );
  } else {
    say(ctx, `\n${results.length - failed.length} passed, ${failed.length} failed`);
  }
  return failed.length ? 1 : 0;
};
