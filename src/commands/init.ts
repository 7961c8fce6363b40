import { join, relative, resolve } from 'node:path';
import { DEFAULT_WORKSPACE_NAME, L, createWorkspaceAt, refuseKernelFs, userErrorFromFs } from '../engine/index.js';
import { say, type CommandContext } from './context.js';
import { confirm } from './prompt.js';

export const initCommand = async (
  ctx: CommandContext,
  options: { dir?: string; yes: boolean; /** The tutorial opens right after (first run): no "Next:" line. */ opening?: boolean },
): Promise<number> => {
  const dir = resolve(ctx.cwd, options.dir ?? DEFAULT_WORKSPACE_NAME);
  refuseKernelFs(dir);
  const ok = await confirm(
    ctx,
    L(`Create the workspace ${dir} (the sample app and lesson 1)?`, `在 ${dir} 创建工作区（示例应用和第 1 课）？`),
    options.yes,
    true,
  );
  if (!ok) {
    say(ctx, L('Nothing was created.', '没有创建任何内容。'));
    return 0;
  }
  try {
    await createWorkspaceAt(dir);
  } catch (error) {
    // A full disk is often seen by a write with no path: name the workspace being created.
    throw userErrorFromFs(error, { near: dir }) ?? error;
  }
  const shown = relative(ctx.cwd, dir) || '.';
  say(ctx, L(`Created ${dir}: the sample Go service and the files of lesson 1.`, `已创建 ${dir}：示例 Go 服务和第 1 课的文件。`));
  say(
    ctx,
    L(
      `All your work and progress live there (progress in ${join(shown, '.learn-go-docker')}); zip the folder to take it with you.`,
      `你的所有作业和进度都在这里（进度保存在 ${join(shown, '.learn-go-docker')}）；打包这个文件夹即可带走。`,
    ),
  );
  if (!options.opening) say(ctx, L(`Next: cd ${shown} && npx learn-go-docker`, `下一步：cd ${shown} && npx learn-go-docker`));
  return 0;
};
