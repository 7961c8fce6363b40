import { L, tr } from '../engine/i18n.js';
import type { ProgressEvent } from '../engine/checks/types.js';
import type { VerifyResult } from '../engine/tutorial-api.js';
import { openWorkspace, say, withLang, type CommandContext } from './context.js';
import { formatCheck, paint, statusCounts } from './format.js';

/** Exit codes: 0 every check passed, 1 a check failed, 2 checks could not run (environment). */
export const verifyExitCode = (result: VerifyResult): number => {
  const counts = statusCounts(result.checks);
  if (counts.fail > 0) return 1;
  if (counts.skip > 0 || counts.error > 0) return 2;
  return 0;
};

/** Progress on stderr so `--json` stdout stays one JSON object. */
const progressPrinter = (ctx: CommandContext) => {
  let lastStep = '';
  return (event: ProgressEvent): void => {
    if (event.type === 'build-step' && event.step !== lastStep) {
      lastStep = event.step;
      ctx.stderr.write(paint(`  … ${event.step}\n`, 90, ctx.color));
    } else if (event.type === 'check-start') {
      ctx.stderr.write(paint(`→ ${event.id}\n`, 90, ctx.color));
    } else if (event.type === 'note') {
      ctx.stderr.write(paint(`  ${tr(event.message, ctx.lang)}\n`, 90, ctx.color));
    }
  };
};

export const verifyCommand = async (
  ctx: CommandContext,
  options: { dir?: string; lesson?: string; json: boolean; staticOnly: boolean; quiet?: boolean },
): Promise<number> => {
  const { tutorial, lang } = await openWorkspace(ctx, options.dir);
  const c = withLang(ctx, lang);
  const lesson = tutorial.lesson(options.lesson ?? tutorial.currentLessonId());
  const result = await tutorial.verify(lesson.meta.id, {
    staticOnly: options.staticOnly,
    signal: ctx.signal,
    onProgress: options.json && !ctx.interactive ? undefined : progressPrinter(c),
  });
  if (options.json) {
    const checks = result.checks.map((check) => ({
      id: check.id,
      title: tr(check.title, lang),
      kind: check.kind,
      status: check.status,
      message: tr(check.message, lang),
      ...(check.line !== undefined ? { line: check.line } : {}),
      ...(check.measured ? { measured: check.measured } : {}),
    }));
    ctx.stdout.write(`${JSON.stringify({ lesson: result.lesson, passed: result.passed, checks }, null, 2)}\n`);
    return verifyExitCode(result);
  }
  say(c, L(`Lesson ${lesson.number}: ${lesson.meta.title.en}`, `第 ${lesson.number} 课：${lesson.meta.title['zh-CN']}`));
  for (const check of result.checks) say(c, formatCheck(check, lang, ctx.color));
  const counts = statusCounts(result.checks);
  say(c, '');
  say(c, L(`${counts.pass}/${result.checks.length} checks passed.`, `${result.checks.length} 项检查中通过 ${counts.pass} 项。`));
  if (result.passed) {
    say(c, paint(tr(L('Lesson passed!', '本课通过！'), lang), 32, ctx.color));
    if (result.learned) say(c, L(`What you learned: ${result.learned.en}`, `本课收获：${result.learned['zh-CN']}`));
    say(c, L('See the solution: npx learn-go-docker solution · next lesson: npx learn-go-docker goto <next>', '查看参考答案：npx learn-go-docker solution · 下一课：npx learn-go-docker goto <下一课>'));
  } else if (counts.fail > 0) {
    say(c, L('Stuck? npx learn-go-docker hint', '卡住了？npx learn-go-docker hint'));
    if (result.solutionOffered) say(c, L('The solution is now available: npx learn-go-docker solution', '参考答案现已开放：npx learn-go-docker solution'));
  } else if (counts.skip > 0) {
    say(c, L('Some checks could not run. Find out why: npx learn-go-docker doctor', '有些检查无法运行。查看原因：npx learn-go-docker doctor'));
  }
  return verifyExitCode(result);
};
