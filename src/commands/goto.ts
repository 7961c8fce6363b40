import { L, catchUpTo, lessonsToCatchUp, tr, workshopSolutionRefusal, type CatchUpResult, type GotoResult, type TutorialApi } from '../engine/index.js';
import { openWorkspace, say, withLang, type CommandContext } from './context.js';
import { confirm } from './prompt.js';
import { colonFor } from './format.js';

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
  const colon = colonFor(ctx.lang);
  for (const change of result.changes) say(ctx, `  ${change.path}${colon}${tr(ACTIONS[change.action], ctx.lang)}`);
};

/** What a catch-up did, a line per lesson: where each lesson's replaced files went. */
const printCatchUp = (ctx: CommandContext, result: CatchUpResult): void => {
  if (result.left?.savedTo)
    say(
      ctx,
      L(
        `Your files of lesson ${result.left.lesson.number} are saved in ${result.left.savedTo}/ and come back when you return.`,
        `你在第 ${result.left.lesson.number} 课的文件已保存到 ${result.left.savedTo}/，回来时会恢复。`,
      ),
    );
  if (result.left?.keptEarlier)
    say(
      ctx,
      L(
        `The copy saved when you left lesson ${result.left.lesson.number} before is kept in ${result.left.keptEarlier}/.`,
        `你上次离开第 ${result.left.lesson.number} 课时保存的副本保留在 ${result.left.keptEarlier}/。`,
      ),
    );
  if (result.left?.backupDir)
    say(
      ctx,
      L(`Files that could not be saved with a lesson were backed up to ${result.left.backupDir}/.`, `无法随课程保存的文件已备份到 ${result.left.backupDir}/。`),
    );
  if (result.passed.length > 0) {
    const numbers = result.passed.map((l) => l.number).join(', ');
    say(ctx, L(`Kept as you left them (you passed them): lessons ${numbers}.`, `保持不变（你已通过）：第 ${numbers} 课。`));
  }
  for (const { lesson, backups } of result.applied) {
    const where = backups.map((d) => `${d}/`).join(', ');
    say(
      ctx,
      backups.length > 0
        ? L(
            `Lesson ${lesson.number}: solution written; the files it replaced are backed up in ${where}`,
            `第 ${lesson.number} 课：已写入参考答案；被替换的文件备份在 ${where}`,
          )
        : L(`Lesson ${lesson.number}: solution written (its files were already the solution).`, `第 ${lesson.number} 课：已写入参考答案（文件本来就是答案）。`),
    );
  }
  if (result.applied.length > 0)
    say(
      ctx,
      L(
        'None of them is marked passed: a verify there passes it (npx learn-go-docker goto N, then verify).',
        '它们都没有被标记为已通过：到那一课校验一次即可通过（npx learn-go-docker goto N，然后 verify）。',
      ),
    );
};

/** `goto N --catch-up`: asks first (it writes into many lessons), refuses before any change in workshop mode. */
const catchUpCommand = async (c: CommandContext, tutorial: TutorialApi, target: string, yes: boolean): Promise<CatchUpResult | undefined> => {
  const lesson = tutorial.findLesson(target);
  const todo = await lessonsToCatchUp(tutorial, lesson.id);
  const last = todo[todo.length - 1];
  if (last) {
    // Solutions open "up to" a lesson: the last one asked for stands for all (nothing is written if refused).
    const refused = await workshopSolutionRefusal(tutorial.workspaceDir, last.number);
    if (refused) throw refused;
    const numbers = todo.map((l) => l.number).join(', ');
    const ok = await confirm(
      c,
      L(
        `Write the solutions of lessons ${numbers} over their files, then move to lesson ${lesson.number}? Every file replaced is backed up first.`,
        `用第 ${numbers} 课的参考答案覆盖它们的文件，然后切换到第 ${lesson.number} 课？被替换的文件都会先备份。`,
      ),
      yes,
    );
    if (!ok) {
      say(c, L('Nothing was changed.', '没有做任何修改。'));
      return undefined;
    }
  }
  return catchUpTo(tutorial, lesson.id);
};

export const gotoCommand = async (ctx: CommandContext, options: { dir?: string; lesson: string; catchUp?: boolean; yes?: boolean }): Promise<number> => {
  const { tutorial, lang } = await openWorkspace(ctx, options.dir);
  const c = withLang(ctx, lang);
  const lesson = tutorial.findLesson(options.lesson);
  let result: GotoResult;
  if (options.catchUp) {
    const caught = await catchUpCommand(c, tutorial, lesson.id, options.yes ?? false);
    if (!caught) return 0;
    printCatchUp(c, caught);
    // What the last move set aside belongs to the last lesson caught up, and was said with it.
    result = caught.applied.length > 0 ? { ...caught.arrival, keptEarlier: undefined, backupDir: undefined } : caught.arrival;
  } else result = await tutorial.goto(lesson.id);
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
