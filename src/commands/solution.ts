import { L, tr, workshopSolutionRefusal } from '../engine/index.js';
import { currentLessonOnly, openWorkspace, say, withLang, type CommandContext } from './context.js';
import { bold } from './format.js';
import { printBackup } from './reset.js';
import { confirm } from './prompt.js';

export const solutionCommand = async (ctx: CommandContext, options: { dir?: string; lesson?: string; apply: boolean; yes: boolean }): Promise<number> => {
  const { tutorial, lang } = await openWorkspace(ctx, options.dir);
  const c = withLang(ctx, lang);
  // Reading another lesson's solution is fine; writing it over this lesson's files is not.
  const lesson = options.apply
    ? currentLessonOnly(tutorial, options.lesson, L('apply its solution to', '应用参考答案'))
    : tutorial.findLesson(options.lesson ?? tutorial.currentLessonId());
  // Workshop mode: refused in one line before anything is asked or written (the engine refuses too).
  const refused = await workshopSolutionRefusal(tutorial.workspaceDir, lesson.number);
  if (refused) throw refused;
  if (options.apply) {
    // A workshop catch-up: allowed before a pass, but never without a backup and a confirmation.
    const ok = await confirm(
      c,
      L(
        `Write the solution of lesson ${lesson.number} over your files? They are backed up first.`,
        `用第 ${lesson.number} 课的参考答案覆盖你的文件？原文件会先备份。`,
      ),
      options.yes,
    );
    if (!ok) {
      say(c, L('Nothing was changed.', '没有做任何修改。'));
      return 0;
    }
    printBackup(c, await tutorial.applySolution(lesson.id));
    say(c, L('Solution applied. Check it: npx learn-go-docker verify', '已应用参考答案。校验一下：npx learn-go-docker verify'));
    return 0;
  }
  const view = await tutorial.solution(lesson.id, { lang });
  if (!view.available) {
    say(c, tr(view.reason ?? L('Not available yet.', '暂未开放。'), lang));
    // --apply works on the current lesson only: for another one, the way there comes first.
    const here = lesson.id === tutorial.currentLessonId();
    const how = here ? 'npx learn-go-docker solution --apply' : `npx learn-go-docker goto ${lesson.number}, then npx learn-go-docker solution --apply`;
    const howZh = here ? 'npx learn-go-docker solution --apply' : `先 npx learn-go-docker goto ${lesson.number}，再 npx learn-go-docker solution --apply`;
    say(c, L(`Catching up in a workshop? ${how}`, `工作坊中需要赶进度？${howZh}`));
    return 0;
  }
  for (const file of view.files) {
    say(c, bold(`── ${file.path} ──`, ctx.color));
    say(c, file.content.replace(/\n$/, ''));
  }
  return 0;
};
