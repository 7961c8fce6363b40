import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { z } from 'zod';
import { L, type Localized } from '../../i18n.js';
import { findInTar } from '../../docker/tar-scan.js';
import type { BuildOptions, DockerSession } from '../../docker/session.js';
import type { DockerContext } from '../types.js';
import { dockerCheck, mask, fail, join, needsBuildkitOutcome, notBuilt, pass, skip } from './common.js';
import { NEEDS_BUILDKIT } from './common.js';

type Leak = { readonly foundIn: 'history'; readonly step: string } | { readonly foundIn: 'config'; readonly where: string };

/** Where the value is in an image's history (`docker history --no-trunc`) or config (env, labels, cmd). */
const findLeak = async (docker: DockerSession, image: string, value: string): Promise<Leak | undefined> => {
  const history = await docker.history(image);
  // History is newest first; the oldest step holding the value is where it came in.
  const step = [...history].reverse().find((h) => h.createdBy.includes(value));
  if (step) return { foundIn: 'history', step: step.createdBy.replace(/\s*# buildkit$/, '').replace(/\s+/g, ' ').split(value).join('***').slice(0, 160) };
  const config = await docker.inspectImage(image);
  const env = config.env.find((e) => e.slice(e.indexOf('=') + 1).includes(value));
  if (env) return { foundIn: 'config', where: `Env ${env.split('=')[0]}` };
  const label = Object.entries(config.labels).find(([, v]) => v.includes(value));
  if (label) return { foundIn: 'config', where: `Label ${label[0]}` };
  if ([...(config.cmd ?? []), ...(config.entrypoint ?? [])].some((a) => a.includes(value))) return { foundIn: 'config', where: 'Cmd/Entrypoint' };
  return undefined;
};

/** Static fallback for a stage --target cannot name: a RUN after `ARG <buildArg>` records the value in that stage's history. */
const argUsedByRun = (ctx: DockerContext, stage: number, buildArg: string): number | undefined => {
  const all = ctx.dockerfile?.instructions ?? [];
  const arg = all.find((i) => i.stage === stage && i.keyword.toUpperCase() === 'ARG' && i.args.trim().split(/[=\s]/)[0] === buildArg);
  return arg ? all.find((i) => i.stage === stage && i.line > arg.line && i.keyword.toUpperCase() === 'RUN')?.line : undefined;
};

/** Checks the stages before the final one; the first leak found, plus what could not be checked. */
const checkEarlierStages = async (ctx: DockerContext, options: Omit<BuildOptions, 'target'>, value: string, buildArg?: string) => {
  const analysis = ctx.dockerfile;
  const unchecked: Localized[] = [];
  let checked = 0;
  if (!analysis?.ok) return { checked, unchecked };
  for (const stage of analysis.stages.filter((s) => s.index < analysis.finalStage)) {
    if (!stage.name) {
      const line = buildArg ? argUsedByRun(ctx, stage.index, buildArg) : undefined;
      if (line) return { checked, unchecked, leak: { stage, line } as const };
      const why = buildArg ? L(`; no RUN there follows an ARG ${buildArg}`, `；其中没有 RUN 位于 ARG ${buildArg} 之后`) : L('', '');
      unchecked.push(L(`the unnamed stage on line ${stage.line} cannot be built on its own (--target needs FROM ... AS <name>)${why.en}`, `第 ${stage.line} 行没有名字的阶段无法单独构建（--target 需要 FROM ... AS <名字>）${why['zh-CN']}`));
      continue;
    }
    ctx.progress({ type: 'note', message: L(`Building stage ${stage.name} to search its history…`, `正在构建阶段 ${stage.name} 以检查它的历史…`) });
    const build = await ctx.docker.build({ ...options, target: stage.name });
    if (!build.ok || !build.imageId) {
      unchecked.push(L(`stage ${stage.name} did not build on its own (--target ${stage.name})`, `阶段 ${stage.name} 无法单独构建（--target ${stage.name}）`));
      continue;
    }
    checked += 1;
    const found = await findLeak(ctx.docker, build.imageId, value);
    if (found) return { checked, unchecked, leak: { stage, found } as const };
  }
  return { checked, unchecked };
};

const FIX = L('Pass the secret with RUN --mount=type=secret instead: it is never recorded.', '请改用 RUN --mount=type=secret 传递密钥：它不会被记录下来。');

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
      const options = { contextDir: ctx.files.dir, dockerfile: ctx.dockerfilePath, buildArgs: params.buildArg ? { [params.buildArg]: params.value } : undefined, secrets };
      const build = await ctx.docker.build(options);
      if (build.needsBuildkit) return needsBuildkitOutcome(build);
      if (!build.ok || !build.imageId) return skip(join(notBuilt(ctx, build), L('(Built with the secret supplied.)', '（在提供密钥的情况下构建。）')));
      const shown = mask(params.value);
      const history = await ctx.docker.history(build.imageId);
      const found = await findLeak(ctx.docker, build.imageId, params.value);
      if (found?.foundIn === 'history') {
        return fail(join(L(`The secret ${shown} is in the image history (docker history shows it): ${found.step}. Build args used by RUN are recorded in the history.`, `密钥 ${shown} 出现在镜像历史中（docker history 可以看到）：${found.step}。RUN 用到的构建参数会被记录在历史里。`), FIX), { foundIn: 'history' });
      }
      if (found) {
        return fail(L(`The secret ${shown} is in the image config (${found.where}): anyone with the image can read it with docker image inspect.`, `密钥 ${shown} 出现在镜像配置中（${found.where}）：任何拿到镜像的人都能用 docker image inspect 读到它。`), { foundIn: 'config' });
      }
      ctx.progress({ type: 'note', message: L('Searching the image file system for the secret…', '正在镜像文件系统中查找密钥…') });
      const stream = await ctx.docker.exportFilesystem(build.imageId);
      const { path, files } = await findInTar(stream, params.value).finally(() => stream.destroy());
      if (path) {
        return fail(L(`The secret ${shown} is in the image file system: /${path.replace(/^\.?\//, '')}. Mount it only for the RUN that needs it (RUN --mount=type=secret) and never COPY it.`, `密钥 ${shown} 出现在镜像文件系统中：/${path.replace(/^\.?\//, '')}。请只在需要它的 RUN 中挂载（RUN --mount=type=secret），不要 COPY 它。`), { foundIn: 'filesystem' });
      }
      // A multi-stage build leaves earlier stages out of the final image, not out of the build cache.
      const stages = await checkEarlierStages(ctx, options, params.value, params.buildArg);
      const leak = stages.leak;
      if (leak && 'line' in leak) {
        return fail(join(L(`The secret ${shown} is in the history of the unnamed stage on line ${leak.stage.line}: it declares ARG ${params.buildArg ?? ''} and the RUN on line ${leak.line} records its value. Anyone with your build cache can read it.`, `密钥 ${shown} 在第 ${leak.stage.line} 行那个没有名字的阶段的历史里：它声明了 ARG ${params.buildArg ?? ''}，第 ${leak.line} 行的 RUN 记录了它的值。任何拿到你构建缓存的人都能读到。`), FIX), { foundIn: 'stage-history', stage: leak.stage.index }, leak.line);
      }
      if (leak) {
        const name = leak.stage.name ?? '';
        const where = leak.found.foundIn === 'history' ? L(`the history of stage \`${name}\`, step ${leak.found.step}`, `阶段 \`${name}\` 的历史中，步骤 ${leak.found.step}`) : L(`the config of stage \`${name}\` (${leak.found.where})`, `阶段 \`${name}\` 的配置中（${leak.found.where}）`);
        return fail(
          join(L(`The final image is clean, but the secret ${shown} is in ${where.en}: anyone with your build cache or an image built with --target ${name} can read it.`, `最终镜像是干净的，但密钥 ${shown} 在${where['zh-CN']}：任何拿到你构建缓存或用 --target ${name} 构建出的镜像的人都能读到它。`), FIX),
          { foundIn: `stage-${leak.found.foundIn}`, stage: name },
          leak.stage.line,
        );
      }
      const earlier = stages.checked ? L(`, and from the history and config of ${stages.checked} earlier stage(s)`, `，以及 ${stages.checked} 个之前阶段的历史和配置中`) : L('', '');
      const notChecked = stages.unchecked.length ? L(` Not checked: ${stages.unchecked.map((u) => u.en).join('; ')}.`, `未检查：${stages.unchecked.map((u) => u['zh-CN']).join('；')}。`) : L('', '');
      return pass(
        L(`The secret is absent from ${history.length} history steps, the image config and ${files} files of the final image${earlier.en}.${notChecked.en}`, `在最终镜像的 ${history.length} 个历史步骤、镜像配置和 ${files} 个文件中都没有找到密钥${earlier['zh-CN']}。${notChecked['zh-CN']}`),
        { historySteps: history.length, files, stagesChecked: stages.checked, stagesUnchecked: stages.unchecked.length },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});
