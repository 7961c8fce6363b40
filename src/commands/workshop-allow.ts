import { resolve } from 'node:path';
import { L, UserError, allowWorkshopSolutions, parseSolutionsUpTo, runningRoomHere } from '../engine/index.js';
import { say, type CommandContext } from './context.js';
import { defaultRoomDir } from './room-dir.js';

/**
 * `workshop allow <lesson-number|all> [--dir D]`: opens solutions for learners in workshop mode,
 * in the room's running server (the room's log keeps it across restarts). 0 hides them all again.
 */
export const workshopAllowCommand = async (ctx: CommandContext, options: { lesson?: string; dir?: string }): Promise<number> => {
  const upTo = await parseSolutionsUpTo(options.lesson);
  if (upTo === undefined)
    throw new UserError(
      L(
        `workshop allow needs a lesson number or all${options.lesson === undefined ? '' : `, not "${options.lesson}"`}.`,
        `workshop allow 需要课程序号或 all${options.lesson === undefined ? '' : `，而不是 "${options.lesson}"`}。`,
      ),
      {
        next: L(
          'Open the solutions of lessons 1 to 3: npx learn-go-docker workshop allow 3 (all: every lesson; 0: none)',
          '开放第 1 到 3 课的参考答案：npx learn-go-docker workshop allow 3（all：所有课程；0：全部隐藏）',
        ),
      },
    );
  // Not told a folder: the room whose server runs here (serve's own default folder is by date, and a
  // workshop may cross midnight), else today's default.
  const dir = options.dir !== undefined ? resolve(ctx.cwd, options.dir) : ((await runningRoomHere(ctx.cwd)) ?? resolve(ctx.cwd, defaultRoomDir(new Date())));
  const done = await allowWorkshopSolutions(dir, upTo);
  say(
    ctx,
    done.upTo === 'all'
      ? L(`Solutions are open for every lesson (${done.url}).`, `所有课程的参考答案都已开放（${done.url}）。`)
      : done.upTo === 0
        ? L(`Solutions are hidden for every lesson again (${done.url}).`, `所有课程的参考答案重新隐藏（${done.url}）。`)
        : done.upTo === 1
          ? L(`Solutions are open for lesson 1 (${done.url}).`, `第 1 课的参考答案已开放（${done.url}）。`)
          : L(`Solutions are open for lessons 1 to ${done.upTo} (${done.url}).`, `第 1 到 ${done.upTo} 课的参考答案已开放（${done.url}）。`),
  );
  return 0;
};
