import { L, askWorkshopHelp } from '../engine/index.js';
import { openWorkspace, say, withLang, type CommandContext } from './context.js';
import { flushLine } from './join.js';

/** `ask`: the learner asks the instructor for help; the one time a file leaves the laptop, said before it does. */
export const askCommand = async (ctx: CommandContext, options: { dir?: string }): Promise<number> => {
  const { tutorial, lang } = await openWorkspace(ctx, options.dir);
  const c = withLang(ctx, lang);
  const lesson = tutorial.findLesson(tutorial.currentLessonId());
  say(
    c,
    L(
      `Asking the instructor for help with lesson ${lesson.number}: sending your Dockerfile and your last verify's result.`,
      `正在就第 ${lesson.number} 课向讲师求助：发送你的 Dockerfile 和上次校验的结果。`,
    ),
  );
  const { dockerfileChars, flush } = await askWorkshopHelp({
    workspace: tutorial.workspaceDir,
    lesson: { id: lesson.id, number: lesson.number },
    last: tutorial.lastVerify(lesson.id),
  });
  if (dockerfileChars === null)
    say(c, L('(There is no Dockerfile in the workspace yet: the request says so.)', '（工作区里还没有 Dockerfile：求助中会说明这一点。）'));
  say(c, flushLine(flush));
  if (flush.queued === 0) say(c, L('The instructor sees your request in the room.', '讲师会在房间里看到你的求助。'));
  return 0;
};
