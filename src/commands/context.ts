import { openWorkspaceTutorial, tr, type Lang, type Localized, type TextSink, type TutorialApi } from '../engine/index.js';

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
