import { L, tr, type GotoResult } from '../engine/index.js';
import { openWorkspace, say, withLang, type CommandContext } from './context.js';

const ACTIONS = {
  written: L('written', '已写入'),
  kept: L('kept as you left it', '保持不变'),
  restored: L('restored (your version from before)', '已恢复（你之前的版本）'),
  removed: L('removed (not part of this lesson)', '已移除（本课不需要）'),
} as const;

export const printGoto = (ctx: CommandContext, result: GotoResult): void => {
  if (result.savedTo) say(ctx, L(`Your files of the lesson you left are saved in ${result.savedTo}/.`, `你在上一课的文件已保存到 ${result.savedTo}/。`));
  if (result.keptEarlier)
    say(ctx, L(`The copy saved when you left it before is kept in ${result.keptEarlier}/.`, `你上次离开该课时保存的副本保留在 ${result.keptEarlier}/。`));
  if (result.backupDir)
    say(ctx, L(`Files that could not be saved with a lesson were backed up to ${result.backupDir}/.`, `无法随课程保存的文件已备份到 ${result.backupDir}/。`));
  for (const change of result.changes) say(ctx, `  ${change.path}: ${tr(ACTIONS[change.action], ctx.lang)}`);
};

export const gotoCommand = async (ctx: CommandContext, options: { dir?: string; lesson: string }): Promise<number> => {
  const { tutorial, lang } = await openWorkspace(ctx, options.dir);
  const c = withLang(ctx, lang);
  const lesson = tutorial.findLesson(options.lesson);
  const result = await tutorial.goto(lesson.id);
  say(c, L(`Lesson ${lesson.number}: ${lesson.title.en}`, `第 ${lesson.number} 课：${lesson.title['zh-CN']}`));
  printGoto(c, result);
  say(
    c,
    L(
      `Read it with: npx learn-go-docker · check your work with: npx learn-go-docker verify`,
      `阅读课程：npx learn-go-docker · 校验你的作业：npx learn-go-docker verify`,
    ),
  );
  return 0;
};
