import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { z } from 'zod';
import { L } from '../../i18n.js';
import { findInTar } from '../../docker/tar-scan.js';
import { dockerCheck, mask, NOT_BUILT, fail, needsBuildkitOutcome, pass, quoteLines, skip } from './common.js';
import { NEEDS_BUILDKIT } from './common.js';

export const imageNoSecret = dockerCheck({
  id: 'image.no-secret',
  title: L('The secret is not in the image', '密钥没有留在镜像里'),
  params: z
    .object({ value: z.string().min(4), buildArg: z.string().min(1).optional(), secretId: z.string().min(1).optional() }),
  run: async (ctx, params) => {
    const caps = await ctx.docker.capabilities();
    if (params.secretId && caps.builder !== 'buildx' && caps.builder !== 'buildkit-env') return skip(NEEDS_BUILDKIT);
    const dir = await mkdtemp(joinPath(tmpdir(), 'learn-go-docker-secret-'));
    try {
      const secrets: Record<string, string> = {};
      if (params.secretId) {
        const file = joinPath(dir, 'secret');
        await writeFile(file, params.value, { mode: 0o600 });
        secrets[params.secretId] = file;
      }
      const build = await ctx.docker.build({
        contextDir: ctx.files.dir,
        dockerfile: ctx.dockerfilePath,
        buildArgs: params.buildArg ? { [params.buildArg]: params.value } : undefined,
        secrets,
      });
      if (build.needsBuildkit) return needsBuildkitOutcome(build);
      if (!build.ok || !build.imageId) return skip(L(`${NOT_BUILT.en} (built with the secret supplied)${quoteLines(build.tail.slice(-5))}`, `${NOT_BUILT['zh-CN']}（在提供密钥的情况下构建）${quoteLines(build.tail.slice(-5))}`));
      const shown = mask(params.value);
      const history = await ctx.docker.history(build.imageId);
      const step = history.find((h) => h.createdBy.includes(params.value));
      if (step) {
        const text = step.createdBy.split(params.value).join('***').slice(0, 160);
        return fail(
          L(`The secret ${shown} is in the image history (docker history shows it): ${text}. Build args used by RUN are recorded in the history: pass the secret with RUN --mount=type=secret instead.`, `密钥 ${shown} 出现在镜像历史中（docker history 可以看到）：${text}。RUN 用到的构建参数会被记录在历史里：请改用 RUN --mount=type=secret 传递密钥。`),
          { foundIn: 'history' },
        );
      }
      const image = await ctx.docker.inspectImage(build.imageId);
      const config = [...image.env.map((e) => `Env ${e.split('=')[0]}`), ...Object.keys(image.labels).map((k) => `Label ${k}`)].find((where) => {
        const [kind, key] = where.split(' ');
        const value = kind === 'Env' ? image.env.find((e) => e.startsWith(`${key}=`)) : image.labels[key ?? ''];
        return value?.includes(params.value);
      }) ?? ([...(image.cmd ?? []), ...(image.entrypoint ?? [])].some((a) => a.includes(params.value)) ? 'Cmd/Entrypoint' : undefined);
      if (config) {
        return fail(L(`The secret ${shown} is in the image config (${config}): anyone with the image can read it with docker image inspect.`, `密钥 ${shown} 出现在镜像配置中（${config}）：任何拿到镜像的人都能用 docker image inspect 读到它。`), { foundIn: 'config' });
      }
      ctx.progress({ type: 'note', message: L('Searching the image file system for the secret…', '正在镜像文件系统中查找密钥…') });
      const stream = await ctx.docker.exportFilesystem(build.imageId);
      const { path, files } = await findInTar(stream, params.value).finally(() => stream.destroy());
      if (path) {
        return fail(L(`The secret ${shown} is in the image file system: /${path.replace(/^\.?\//, '')}. Mount it only for the RUN that needs it (RUN --mount=type=secret) and never COPY it.`, `密钥 ${shown} 出现在镜像文件系统中：/${path.replace(/^\.?\//, '')}。请只在需要它的 RUN 中挂载（RUN --mount=type=secret），不要 COPY 它。`), { foundIn: 'filesystem' });
      }
      return pass(
        L(`The secret is absent from ${history.length} history steps, the image config and ${files} files.`, `在 ${history.length} 个历史步骤、镜像配置和 ${files} 个文件中都没有找到密钥。`),
        { historySteps: history.length, files },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});
