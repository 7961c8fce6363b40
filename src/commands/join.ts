import { L, UserError, joinWorkshopRoom, type FlushResult, type Localized } from '../engine/index.js';
import { openWorkspace, say, withLang, type CommandContext } from './context.js';
import { defaultLearner } from './report.js';

/** What the learner is told after a send: sent, or kept and sent later (never an error: offline is normal). */
export const flushLine = (flush: FlushResult): Localized =>
  flush.queued === 0
    ? L('Sent.', '已发送。')
    : flush.stopped === 'refused'
      ? L(
          'The server refused the join code (a new room?): the events are kept; join again with the new code.',
          '服务器拒绝了加入码（换了新房间？）：事件已保留；请用新的加入码重新加入。',
        )
      : L(
          `Not sent yet (${flush.queued} waiting): they go with your next verify once the server answers.`,
          `尚未发送（${flush.queued} 个等待中）：服务器可以连上后，会随下一次校验一起发送。`,
        );

/** `join URL CODE`: this workspace reports its verifies to the instructor's room from now on. */
export const joinCommand = async (ctx: CommandContext, options: { url?: string; code?: string; name?: string; dir?: string }): Promise<number> => {
  if (options.url === undefined || options.code === undefined)
    throw new UserError(L('join needs the address and the code the instructor shows.', 'join 需要讲师显示的地址和加入码。'), {
      next: L(
        'Example: npx learn-go-docker join http://192.168.1.20:8787 K7M4QX --name "Ada L."',
        '示例：npx learn-go-docker join http://192.168.1.20:8787 K7M4QX --name "Ada L."',
      ),
    });
  const { tutorial, lang } = await openWorkspace(ctx, options.dir);
  const c = withLang(ctx, lang);
  const lesson = tutorial.findLesson(tutorial.currentLessonId());
  const { config, flush } = await joinWorkshopRoom({
    workspace: tutorial.workspaceDir,
    url: options.url,
    code: options.code,
    name: options.name ?? defaultLearner(),
    lesson: { id: lesson.id, number: lesson.number },
  });
  say(c, L(`Joined the workshop at ${config.url}. Your name in the room: ${config.name}`, `已加入 ${config.url} 上的工作坊。你在房间里的名字：${config.name}`));
  say(
    c,
    L(
      'After each verify, the instructor receives: your name, the lesson, the ids of the checks that passed and failed, your attempt count and the time on the lesson. Never your files.',
      '每次校验后，讲师会收到：你的名字、课程、通过和失败的检查 id、尝试次数以及在本课上花的时间。绝不包括你的文件。',
    ),
  );
  say(
    c,
    L(
      'Stuck? Run npx learn-go-docker ask: it sends your Dockerfile and your last result, and only then.',
      '卡住了？运行 npx learn-go-docker ask：它会发送你的 Dockerfile 和上次结果，只有这时才发送。',
    ),
  );
  if (config.goproxy)
    say(
      c,
      L(
        `Your lesson builds fetch Go modules from the room first (${config.goproxy}), then from your usual proxy; LEARN_GO_DOCKER_GOPROXY, when you set it, wins.`,
        `你的课程构建会先从房间获取 Go 模块（${config.goproxy}），再使用你平常的代理；设置了 LEARN_GO_DOCKER_GOPROXY 时以它为准。`,
      ),
    );
  say(c, flushLine(flush));
  return 0;
};
