import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_WORKSPACE_NAME, L, resolveWorkspace, tr, openInEditor } from '../engine/index.js';
import { openWorkspace, say, withLang, type CommandContext } from './context.js';
import { initCommand } from './init.js';
import { drawPreframe } from './preframe.js';
import { loadUi } from './load-ui.js';

/**
 * No command: the tutorial. On a terminal it starts the Ink app (loaded only now: it is the heavy
 * part). Without a terminal it never waits for keys: it prints the current lesson as plain text.
 */
export const startCommand = async (ctx: CommandContext, options: { dir?: string; manual: boolean; yes: boolean; swarm?: boolean }): Promise<number> => {
  const existing = resolveWorkspace(options.dir, ctx.cwd);
  if (!existing || !existsSync(existing)) {
    if (!ctx.interactive) {
      say(ctx, L('Welcome to learn-go-docker!', '欢迎使用 learn-go-docker！'));
      say(
        ctx,
        L(
          `There is no workspace here yet. Create one with: npx learn-go-docker init --yes (it makes ./${DEFAULT_WORKSPACE_NAME}).`,
          `这里还没有工作区。创建工作区：npx learn-go-docker init --yes（会创建 ./${DEFAULT_WORKSPACE_NAME}）。`,
        ),
      );
      return 0;
    }
    const code = await initCommand(ctx, { dir: options.dir ?? DEFAULT_WORKSPACE_NAME, yes: options.yes, opening: true });
    if (code !== 0 || !resolveWorkspace(options.dir ?? DEFAULT_WORKSPACE_NAME, ctx.cwd)) return code;
  }
  const dir = options.dir ?? (existing ? undefined : DEFAULT_WORKSPACE_NAME);
  const { tutorial, lang } = await openWorkspace(ctx, dir ? resolve(ctx.cwd, dir) : undefined);
  if (options.swarm) tutorial.allowSwarmInit();
  if (!ctx.interactive) {
    const c = withLang(ctx, lang);
    const id = tutorial.currentLessonId();
    const lesson = tutorial.findLesson(id);
    const { done, total } = tutorial.doneCount();
    say(
      c,
      L(
        `Lesson ${lesson.number}/${total}: ${lesson.title.en} (${done} done)`,
        `第 ${lesson.number}/${total} 课：${lesson.title['zh-CN']}（已完成 ${done} 课）`,
      ),
    );
    say(c, '');
    say(c, await tutorial.lessonText(id, lang));
    say(
      c,
      tr(
        L('Check your work: npx learn-go-docker verify · hint · list · goto N', '校验：npx learn-go-docker verify · 提示 hint · 列表 list · 跳转 goto N'),
        lang,
      ),
    );
    return 0;
  }
  // The UI (Ink, React) takes a few hundred milliseconds to load: the lesson is on screen meanwhile.
  const ui = loadUi();
  const id = tutorial.currentLessonId();
  const lesson = tutorial.findLesson(id);
  const header = tr(
    L(
      `Lesson ${lesson.number}/${tutorial.doneCount().total} · ${lesson.title.en}`,
      `第 ${lesson.number}/${tutorial.doneCount().total} 课 · ${lesson.title['zh-CN']}`,
    ),
    lang,
  );
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  const preframe = drawPreframe(ctx.stdout, process.stdout, header, await tutorial.lessonText(id, lang).catch(() => ''), lang, L('Starting…', '正在启动…'));
  const { runTutorialUi } = await ui.finally(() => preframe.erase());
  const changedWhileAway = (await tutorial.lastVerifyCurrent(id).catch(() => undefined)) === false;
  // A language chosen with --lang is the tutorial's from now on, as one switched with `t` is
  // (a workspace that cannot be written keeps it for this run only).
  if (ctx.langExplicit && tutorial.lang !== lang) await tutorial.setLang(lang).catch(() => undefined);
  const ended = await runTutorialUi({ api: tutorial, lang, manual: options.manual, openInEditor, changedWhileAway });
  return ended === 'interrupted' ? 130 : 0;
};
