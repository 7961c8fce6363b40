import { L, explainOnce, slowStepNote, tr, workshopSendNotice, type CheckReport, type VerifyResult } from '../engine/index.js';
import { progressPrinter } from './progress-printer.js';
import { currentLessonOnly, openWorkspace, say, suggest, withLang, type CommandContext } from './context.js';
import { formatCheck, paint, statusCounts } from './format.js';

/**
 * The checks this verify was asked to judge: all of them, or with --static-only the static ones
 * (the Docker ones are listed as not run, whatever kept them from running).
 */
const judged = (result: VerifyResult): readonly CheckReport[] => (result.staticOnly ? result.checks.filter((check) => check.kind === 'static') : result.checks);

/**
 * Exit codes: 0 every check judged passed, 1 a check failed, 2 checks could not run (environment),
 * or nothing was judged. Docker checks left out on purpose (--static-only) are not judged.
 */
export const verifyExitCode = (result: VerifyResult): number => {
  const ran = judged(result);
  const counts = statusCounts(ran);
  if (counts.fail > 0) return 1;
  // Nothing judged is no pass: a script reading exit 0 would count a Docker-only lesson as done.
  if (counts.skip > 0 || counts.error > 0 || ran.length === 0) return 2;
  return 0;
};

/** The title with the earlier lesson that teaches the check: "Image user is not root (lesson 8)". */
const withTeachingLesson = (check: CheckReport): CheckReport =>
  check.lesson === undefined ? check : { ...check, title: L(`${check.title.en} (lesson ${check.lesson})`, `${check.title['zh-CN']}（第 ${check.lesson} 课）`) };

export const verifyCommand = async (
  ctx: CommandContext,
  options: { dir?: string; lesson?: string; json: boolean; staticOnly: boolean; swarm?: boolean },
): Promise<number> => {
  const { tutorial, lang } = await openWorkspace(ctx, options.dir);
  const c = withLang(ctx, lang);
  const lesson = currentLessonOnly(tutorial, options.lesson, L('verify', '校验'));
  const printer = options.json && !ctx.interactive ? undefined : progressPrinter(c, (step, elapsed) => slowStepNote(step, elapsed, lesson.number));
  const result = await tutorial
    .verify(lesson.id, {
      staticOnly: options.staticOnly,
      ...(options.swarm ? { swarmInit: true } : {}),
      signal: ctx.signal,
      ...(printer ? { onProgress: printer.onProgress } : {}),
      // The verdict is printed while Docker removes the containers; the command ends after both.
      settleLater: true,
    })
    .finally(() => printer?.stop());
  try {
    return printVerdict();
  } finally {
    await tutorial.settled();
    // A joined laptop whose room did not take the result is told so (the verdict above is its own).
    const notice = await workshopSendNotice(tutorial.workspaceDir).catch(() => undefined);
    if (notice) (options.json ? ctx.stderr : ctx.stdout).write(`${paint(tr(notice, lang), 33, ctx.color)}\n`);
  }

  function printVerdict(): number {
    if (options.json) {
      const checks = result.checks.map((check) => ({
        id: check.id,
        title: tr(check.title, lang),
        kind: check.kind,
        status: check.status,
        message: tr(check.message, lang),
        ...(check.line !== undefined ? { line: check.line } : {}),
        ...(check.measured ? { measured: check.measured } : {}),
        ...(check.reason ? { reason: check.reason } : {}),
        ...(check.lesson !== undefined ? { lesson: check.lesson } : {}),
      }));
      const blocking = result.blocking.map((b) => ({ reason: b.reason, message: tr(b.message, lang), ...(b.line !== undefined ? { line: b.line } : {}) }));
      ctx.stdout.write(`${JSON.stringify({ lesson: result.lesson, passed: result.passed, staticOnly: options.staticOnly, checks, blocking }, null, 2)}\n`);
      return verifyExitCode(result);
    }
    say(c, L(`Lesson ${lesson.number}: ${lesson.title.en}`, `第 ${lesson.number} 课：${lesson.title['zh-CN']}`));
    for (const check of explainOnce(result.checks, result.blocking)) say(c, formatCheck(withTeachingLesson(check), lang, ctx.color));
    const ran = judged(result);
    const counts = statusCounts(ran);
    say(c, '');
    if (options.staticOnly && ran.length === 0) {
      say(
        c,
        L(
          'This lesson has only Docker checks, and they were not run (--static-only): run verify without it.',
          '本课只有 Docker 检查，而它们没有运行（--static-only）：请去掉该选项再运行 verify。',
        ),
      );
    } else if (options.staticOnly && result.checks.length === ran.length) {
      // A lesson without Docker checks: --static-only left nothing out.
      say(c, L(`${counts.pass}/${ran.length} static checks passed.`, `${ran.length} 项静态检查中通过 ${counts.pass} 项。`));
    } else if (options.staticOnly) {
      const left = result.checks.length - ran.length;
      say(
        c,
        L(
          `${counts.pass}/${ran.length} static checks passed; the ${left === 1 ? 'Docker check was' : `${left} Docker checks were`} not run (--static-only).`,
          `${ran.length} 项静态检查中通过 ${counts.pass} 项；未运行 ${left} 项 Docker 检查（--static-only）。`,
        ),
      );
    } else {
      say(c, L(`${counts.pass}/${result.checks.length} checks passed.`, `${result.checks.length} 项检查中通过 ${counts.pass} 项。`));
    }
    if (result.cancelled) {
      say(c, L('Cancelled: nothing was recorded.', '已取消：没有记录任何结果。'));
    } else if (result.passed) {
      say(c, paint(tr(L('Lesson passed!', '本课通过！'), lang), 32, ctx.color));
      if (result.learned) say(c, L(`What you learned: ${result.learned.en}`, `本课收获：${result.learned['zh-CN']}`));
      const next = tutorial.lessons().find((l) => l.number === lesson.number + 1);
      const solution = suggest('solution', options.dir);
      say(
        c,
        next
          ? L(
              `See the solution: ${solution} · next lesson: ${suggest(`goto ${next.number}`, options.dir)}`,
              `查看参考答案：${solution} · 下一课：${suggest(`goto ${next.number}`, options.dir)}`,
            )
          : L(`See the solution: ${solution} · that was the last lesson.`, `查看参考答案：${solution} · 这是最后一课。`),
      );
    } else if (counts.fail > 0) {
      say(c, L(`Stuck? ${suggest('hint', options.dir)}`, `卡住了？${suggest('hint', options.dir)}`));
      if (result.solutionOffered)
        say(c, L(`The solution is now available: ${suggest('solution', options.dir)}`, `参考答案现已开放：${suggest('solution', options.dir)}`));
    } else if (
      counts.error === 0 &&
      ran.some((check) => check.status === 'skip') &&
      ran.every((check) => check.status !== 'skip' || check.reason === 'needs-swarm')
    ) {
      say(
        c,
        L(
          'Swarm mode is off, so the Swarm check did not run. Let the runner turn it on for the check and off after: npx learn-go-docker verify --swarm',
          'swarm 模式是关闭的，所以 Swarm 检查没有运行。让检查程序为这项检查开启、检查后再关闭：npx learn-go-docker verify --swarm',
        ),
      );
    } else if (counts.skip > 0 || counts.error > 0) {
      say(c, L('Some checks could not run. Find out why: npx learn-go-docker doctor', '有些检查无法运行。查看原因：npx learn-go-docker doctor'));
    }
    return verifyExitCode(result);
  }
};
