import { L, tr } from '../engine/index.js';
import { openWorkspace, say, withLang, type CommandContext } from './context.js';

export const hintCommand = async (ctx: CommandContext, options: { dir?: string; lesson?: string }): Promise<number> => {
  const { tutorial, lang } = await openWorkspace(ctx, options.dir);
  const c = withLang(ctx, lang);
  const lesson = tutorial.findLesson(options.lesson ?? tutorial.currentLessonId());
  const hint = await tutorial.hint(lesson.id);
  if (!hint) {
    say(c, L('No hint needed: nothing failed in your last verify.', '不需要提示：上次校验没有失败的检查。'));
    return 0;
  }
  if (hint.stale)
    say(
      c,
      L(
        'Your files changed since your last verify: this hint is about that verify. Run verify to check the files as they are.',
        '上次校验之后你的文件改动过：这条提示针对的是那次校验。运行 verify 检查现在的文件。',
      ),
    );
  say(c, L(`Hint ${hint.level}/${hint.of} for "${hint.title.en}":`, `“${hint.title['zh-CN']}”的提示 ${hint.level}/${hint.of}：`));
  say(c, tr(hint.text, lang));
  if (hint.level < hint.of) say(c, L('Run hint again for a stronger one.', '再运行一次 hint 可获得更具体的提示。'));
  else say(c, L('That was the last hint for this check.', '这是这项检查的最后一条提示。'));
  return 0;
};
