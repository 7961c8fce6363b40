import { L, type BackupResult } from '../engine/index.js';
import { currentLessonOnly, openWorkspace, say, withLang, type CommandContext } from './context.js';
import { confirm } from './prompt.js';

export const printBackup = (ctx: CommandContext, result: BackupResult): void => {
  if (result.keptEarlier)
    say(
      ctx,
      L(`The copy saved when you last left this lesson is kept in ${result.keptEarlier}/.`, `你上次离开本课时保存的副本保留在 ${result.keptEarlier}/。`),
    );
  if (!result.backupDir) {
    say(ctx, L('Nothing to back up: no file had changed.', '无需备份：没有文件被修改过。'));
    return;
  }
  say(ctx, L(`Backed up before overwriting, in ${result.backupDir}/:`, `覆盖前已备份到 ${result.backupDir}/：`));
  for (const file of result.files) say(ctx, `  ${file}`);
};

export const resetCommand = async (ctx: CommandContext, options: { dir?: string; lesson?: string; yes: boolean }): Promise<number> => {
  const { tutorial, lang } = await openWorkspace(ctx, options.dir);
  const c = withLang(ctx, lang);
  const lesson = currentLessonOnly(tutorial, options.lesson, L('reset', '重置'));
  const ok = await confirm(
    c,
    L(`Reset lesson ${lesson.number} to its start? Changed files are backed up first.`, `把第 ${lesson.number} 课重置到初始状态？修改过的文件会先备份。`),
    options.yes,
  );
  if (!ok) {
    say(c, L('Nothing was changed.', '没有做任何修改。'));
    return 0;
  }
  printBackup(c, await tutorial.reset(lesson.id));
  say(c, L(`Lesson ${lesson.number} is back at its start.`, `第 ${lesson.number} 课已恢复到初始状态。`));
  return 0;
};
