import { checkShippedCases, checkShippedLessons, L, proofCasesShipped, tr, UserError, type CaseResult, type LessonCheckResult } from '../engine/index.js';
import { say, type CommandContext } from './context.js';
import { formatCheck, paint } from './format.js';

/**
 * `dev-check [--lesson ID]... [--chain] [--static-only] [--skip-cases|--cases-only] [--json]`: for
 * course authors and CI. Exit 0 when every start fails exactly as declared, every solution passes
 * and every proof case gets its declared verdict, else 1.
 */
export const devCheckCommand = async (
  ctx: CommandContext,
  options: { lessons: string[]; chain: boolean; staticOnly: boolean; cases: 'run' | 'skip' | 'only'; json: boolean },
): Promise<number> => {
  // The proof cases stay in the course's repository: an installed package proves its lessons only.
  let runCases = options.cases !== 'skip';
  if (runCases && !proofCasesShipped()) {
    const where = L(
      "This installed package carries no proof cases: they stay in the course's source repository.",
      '这个已安装的包不含证明用例：它们只在课程的源码仓库中。',
    );
    if (options.cases === 'only') {
      throw new UserError(where, {
        next: L('Run dev-check --cases-only in a checkout of the repository.', '请在仓库的检出目录中运行 dev-check --cases-only。'),
        exitCode: 2,
      });
    }
    if (!options.json) say(ctx, paint(`${tr(where, ctx.lang)} ${tr(L('Checking the lessons only.', '只检查课程本身。'), ctx.lang)}`, 90, ctx.color));
    runCases = false;
  }
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
  const results =
    options.cases === 'only'
      ? []
      : await checkShippedLessons({
          only: options.lessons,
          chain: options.chain,
          staticOnly: options.staticOnly,
          signal: ctx.signal,
          onProgress: (lesson, event) => {
            if (!options.json && event.type === 'check-start') ctx.stderr.write(paint(`  ${lesson} → ${event.id}\n`, 90, ctx.color));
          },
          onLesson: print,
        });
  const printCase = (r: CaseResult): void => {
    if (options.json) return;
    say(ctx, `${paint(r.ok ? '✓' : '✗', r.ok ? 32 : 31, ctx.color)} ${r.lesson}/cases/${r.name}: expect ${r.expect} (${r.seconds.toFixed(1)} s)`);
    if (r.ok) return;
    say(ctx, `    ${r.why}`);
    say(ctx, `    failing: [${r.failing.join(', ')}], declared: [${r.expectedFailing.join(', ')}]`);
    for (const c of r.checks) if (c.status !== 'pass') say(ctx, formatCheck(c, ctx.lang, ctx.color));
  };
  const cases = !runCases
    ? []
    : await checkShippedCases(options.lessons, {
        signal: ctx.signal,
        onProgress: (lesson, name, event) => {
          if (!options.json && event.type === 'check-start') ctx.stderr.write(paint(`  ${lesson}/${name} → ${event.id}\n`, 90, ctx.color));
        },
        onCase: printCase,
      });
  const failed = results.filter((r) => !(r.startOk && r.solutionOk)).length + cases.filter((c) => !c.ok).length;
  const total = results.length + cases.length;
  if (options.json) {
    const plain = (checks: LessonCheckResult['start']) =>
      checks.map((c) => ({ id: c.id, status: c.status, message: tr(c.message, ctx.lang), ...(c.measured ? { measured: c.measured } : {}) }));
    const out = {
      lessons: results.map((r) => ({ ...r, start: plain(r.start), solution: plain(r.solution) })),
      cases: cases.map((c) => ({ ...c, checks: plain(c.checks) })),
    };
    ctx.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    say(ctx, `\n${total - failed} passed, ${failed} failed`);
  }
  return failed ? 1 : 0;
};
