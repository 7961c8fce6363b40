import { L, openWorkspaceTutorial, tr, UserError, type Lang, type LessonSummary, type Localized, type TextSink, type TutorialApi } from '../engine/index.js';

/** What every command gets: language, where it runs, how to print. */
export interface CommandContext {
  readonly lang: Lang;
  /** --lang given explicitly (overrides the workspace's saved choice). */
  readonly langExplicit: boolean;
  readonly cwd: string;
  /** Terminal-safe sinks (src/engine/util/terminal-safe.ts): control characters never reach the terminal. */
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly interactive: boolean;
  readonly color: boolean;
  readonly signal: AbortSignal;
}

export const say = (ctx: CommandContext, message: Localized | string, params?: Record<string, string | number>): void => {
  ctx.stdout.write(`${typeof message === 'string' ? message : tr(message, ctx.lang, params)}\n`);
};

export const sayErr = (ctx: CommandContext, message: Localized | string): void => {
  ctx.stderr.write(`${typeof message === 'string' ? message : tr(message, ctx.lang)}\n`);
};

/** Opens the workspace of --dir (or the current folder) with the real Docker driver. */
export const openWorkspace = async (ctx: CommandContext, dir: string | undefined): Promise<{ tutorial: TutorialApi; lang: Lang }> => {
  const opened = await openWorkspaceTutorial(dir, ctx.cwd);
  const lang = ctx.langExplicit ? ctx.lang : (opened.api.lang ?? ctx.lang);
  if (opened.recovered)
    ctx.stderr.write(`${tr(opened.recovered, lang)}
`);
  return { tutorial: opened.api, lang };
};

/** Same context in the workspace's language. */
export const withLang = (ctx: CommandContext, lang: Lang): CommandContext => ({ ...ctx, lang });

/**
 * The lesson a command that works on the workspace's files acts on: the current one. Another lesson's
 * files are not in the workspace, so verifying or overwriting them there would mean nothing: the
 * learner is told the exact command that moves there first (their files are saved, as always).
 */
export const currentLessonOnly = (tutorial: TutorialApi, requested: string | undefined, verb: Localized): LessonSummary => {
  const current = tutorial.findLesson(tutorial.currentLessonId());
  if (requested === undefined) return current;
  const lesson = tutorial.findLesson(requested);
  if (lesson.id === current.id) return lesson;
  throw new UserError(
    L(
      `Lesson ${lesson.number} is not the lesson you are on (${current.number}), so its files are not in the workspace to ${verb.en}.`,
      `第 ${lesson.number} 课不是你当前所在的课程（第 ${current.number} 课），工作区里没有它的文件可供${verb['zh-CN']}。`,
    ),
    {
      next: L(
        `Move there first (your files of lesson ${current.number} are saved): npx learn-go-docker goto ${lesson.number}`,
        `请先切换过去（第 ${current.number} 课的文件会被保存）：npx learn-go-docker goto ${lesson.number}`,
      ),
    },
  );
};

/**
 * A command to suggest, as the learner can run it from where they are: with the --dir they gave
 * (quoted when it has spaces). `npx learn-go-docker hint` alone found no workspace for a learner
 * who verified with --dir.
 */
export const suggest = (command: string, dir: string | undefined): string =>
  dir === undefined
    ? `npx learn-go-docker ${command}`
    : `npx learn-go-docker ${command} --dir ${/[\s'"$`\\]/.test(dir) ? `'${dir.replace(/'/g, `'\\''`)}'` : dir}`;
