import { diskUseLine, L, partHeading, tr } from '../engine/index.js';
import { openWorkspace, say, withLang, type CommandContext } from './context.js';
import { bold, paint } from './format.js';

const MARK = { done: '✓', current: '●', pending: '○' } as const;

export const listCommand = async (ctx: CommandContext, options: { dir?: string; json: boolean }): Promise<number> => {
  const { tutorial, lang } = await openWorkspace(ctx, options.dir);
  const lessons = tutorial.lessons();
  if (options.json) {
    ctx.stdout.write(
      `${JSON.stringify(
        lessons.map((l) => ({ number: l.number, id: l.id, part: l.part, chapter: l.chapter, title: l.title, status: l.status })),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const c = withLang(ctx, lang);
  const { done, total } = tutorial.doneCount();
  let chapter = '';
  let part = 0;
  for (const lesson of lessons) {
    if (lesson.partTitle && lesson.part !== part) {
      part = lesson.part;
      say(c, `\n${bold(tr(partHeading(part, lesson.partTitle), lang).toUpperCase(), ctx.color)}`);
    }
    if (lesson.chapter !== chapter) {
      chapter = lesson.chapter;
      say(c, `\n${bold(tr(lesson.chapterTitle, lang), ctx.color)}`);
    }
    const mark = lesson.status === 'done' ? paint(MARK.done, 32, ctx.color) : lesson.status === 'current' ? paint(MARK.current, 36, ctx.color) : MARK.pending;
    say(c, `  ${mark} ${String(lesson.number).padStart(2)}. ${tr(lesson.title, lang)}  ${paint(lesson.id, 90, ctx.color)}`);
  }
  say(c, '');
  say(c, L(`${done}/${total} lessons done.`, `已完成 ${done}/${total} 课。`));
  const disk = await tutorial.dockerDiskUse();
  if (disk && disk.images > 0) say(c, diskUseLine(disk));
  return 0;
};
