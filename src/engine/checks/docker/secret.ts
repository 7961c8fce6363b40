import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { z } from 'zod';
import { L, type Localized } from '../../i18n.js';
import { findInTar } from '../../docker/tar-scan.js';
import type { BuildOptions, DockerSession } from '../../docker/session.js';
import { defineCheck } from '../define.js';
import { fail, join, mask, pass } from '../outcome.js';
import type { DockerContext, JudgeContext } from '../types.js';
import { Blocked, needsBuildkit, notBuilt } from './measure.js';

type Leak = { readonly foundIn: 'history'; readonly step: string } | { readonly foundIn: 'config'; readonly where: string };

/** Where the value is in an image's history (`docker history --no-trunc`) or config (env, labels, cmd). */
const findLeak = async (docker: DockerSession, image: string, value: string): Promise<Leak | null> => {
  const history = await docker.history(image);
  // History is newest first; the oldest step holding the value is where it came in.
  const step = [...history].reverse().find((h) => h.createdBy.includes(value));
  if (step)
    return {
      foundIn: 'history',
      step: step.createdBy
        .replace(/\s*# buildkit$/, '')
        .replace(/\s+/g, ' ')
        .split(value)
        .join('***')
        .slice(0, 160),
    };
  const config = await docker.inspectImage(image);
  const env = config.env.find((e) => e.slice(e.indexOf('=') + 1).includes(value));
  if (env) return { foundIn: 'config', where: `Env ${env.split('=')[0]}` };
  const label = Object.entries(config.labels).find(([, v]) => v.includes(value));
  if (label) return { foundIn: 'config', where: `Label ${label[0]}` };
  if ([...(config.cmd ?? []), ...(config.entrypoint ?? [])].some((a) => a.includes(value))) return { foundIn: 'config', where: 'Cmd/Entrypoint' };
  return null;
};

/** Static fallback for a stage --target cannot name: a RUN after `ARG <buildArg>` records the value in that stage's history. */
const argUsedByRun = (ctx: JudgeContext, stage: number, buildArg: string): number | undefined => {
  const all = ctx.dockerfile?.instructions ?? [];
  const arg = all.find((i) => i.stage === stage && i.keyword.toUpperCase() === 'ARG' && i.args.trim().split(/[=\s]/)[0] === buildArg);
  return arg ? all.find((i) => i.stage === stage && i.line > arg.line && i.keyword.toUpperCase() === 'RUN')?.line : undefined;
};

/** What was found in one earlier stage: built with --target and searched, or not buildable on its own. */
type StageResult =
  | { readonly stage: number; readonly name: string; readonly line: number; readonly built: true; readonly leak: Leak | null }
  | { readonly stage: number; readonly name: string | null; readonly line: number; readonly built: false };

/** Builds each stage before the final one on its own and searches it, until a leak is found. */
const searchEarlierStages = async (ctx: DockerContext, options: Omit<BuildOptions, 'target'>, value: string): Promise<StageResult[]> => {
  const analysis = ctx.dockerfile;
  const out: StageResult[] = [];
  if (!analysis?.ok) return out;
  for (const stage of analysis.stages.filter((s) => s.index < analysis.finalStage)) {
    if (!stage.name) {
      out.push({ stage: stage.index, name: null, line: stage.line, built: false });
      continue;
    }
    ctx.progress({ type: 'note', message: L(`Building stage ${stage.name} to search its history…`, `正在构建阶段 ${stage.name} 以检查它的历史…`) });
    const build = await ctx.docker.build({ ...options, target: stage.name });
    if (!build.ok || !build.imageId) {
      out.push({ stage: stage.index, name: stage.name, line: stage.line, built: false });
      continue;
    }
    const leak = await findLeak(ctx.docker, build.imageId, value);
    out.push({ stage: stage.index, name: stage.name, line: stage.line, built: true, leak });
    if (leak) break;
  }
  return out;
};

const FIX = L('Pass the secret with RUN --mount=type=secret instead: it is never recorded.', '请改用 RUN --mount=type=secret 传递机密：它不会被记录下来。');

const noSecretParams = z.object({ value: z.string().min(4), buildArg: z.string().min(1).optional(), secretId: z.string().min(1).optional() });

export const imageNoSecret = defineCheck({
  id: 'image.no-secret',
  kind: 'docker',
  title: L('The secret is not in the image', '机密没有留在镜像里'),
  params: noSecretParams,
  // A build secret needs BuildKit; a build arg does not.
  needs: (params) => (params.secretId ? ['buildkit'] : []),
  measure: async (ctx, params) => {
    const dir = await mkdtemp(joinPath(tmpdir(), 'learn-go-docker-secret-'));
    try {
      const secrets: Record<string, string> = {};
      if (params.secretId) {
        const file = joinPath(dir, 'secret');
        await writeFile(file, params.value, { mode: 0o600 });
        secrets[params.secretId] = file;
      }
      const options = {
        contextDir: ctx.files.dir,
        dockerfile: ctx.dockerfilePath,
        buildArgs: params.buildArg ? { [params.buildArg]: params.value } : undefined,
        secrets,
      };
      const build = await ctx.docker.build(options);
      if (build.needsBuildkit) throw needsBuildkit(build);
      if (!build.ok || !build.imageId) {
        const blocked = notBuilt(ctx, build);
        throw new Blocked(
          blocked.reason,
          join(blocked.short, L('(Built with the secret supplied.)', '（在提供机密的情况下构建。）')),
          blocked.full,
          blocked.line,
        );
      }
      const historySteps = (await ctx.docker.history(build.imageId)).length;
      const leak = await findLeak(ctx.docker, build.imageId, params.value);
      if (leak) return { historySteps, leak };
      ctx.progress({ type: 'note', message: L('Searching the image file system for the secret…', '正在镜像文件系统中查找机密…') });
      const stream = await ctx.docker.exportFilesystem(build.imageId);
      const { path, files } = await findInTar(stream, params.value).finally(() => stream.destroy());
      if (path) return { historySteps, leak: null, filePath: path, files };
      // A multi-stage build leaves earlier stages out of the final image, not out of the build cache.
      return { historySteps, leak: null, filePath: null, files, stages: await searchEarlierStages(ctx, options, params.value) };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  judge: (m, params, ctx) => {
    const shown = mask(params.value);
    if (m.leak?.foundIn === 'history') {
      return fail(
        join(
          L(
            `The secret ${shown} is in the image history (docker history shows it): ${m.leak.step}. Build args used by RUN are recorded in the history.`,
            `机密 ${shown} 出现在镜像历史中（docker history 可以看到）：${m.leak.step}。RUN 用到的构建参数会被记录在历史里。`,
          ),
          FIX,
        ),
        { foundIn: 'history' },
      );
    }
    if (m.leak) {
      return fail(
        L(
          `The secret ${shown} is in the image config (${m.leak.where}): anyone with the image can read it with docker image inspect.`,
          `机密 ${shown} 出现在镜像配置中（${m.leak.where}）：任何拿到镜像的人都能用 docker image inspect 读到它。`,
        ),
        { foundIn: 'config' },
      );
    }
    if ('filePath' in m && m.filePath) {
      const file = `/${m.filePath.replace(/^\.?\//, '')}`;
      return fail(
        L(
          `The secret ${shown} is in the image file system: ${file}. Mount it only for the RUN that needs it (RUN --mount=type=secret) and never COPY it.`,
          `机密 ${shown} 出现在镜像文件系统中：${file}。请只在需要它的 RUN 中挂载（RUN --mount=type=secret），不要 COPY 它。`,
        ),
        { foundIn: 'filesystem' },
      );
    }
    const stages = 'stages' in m ? (m.stages ?? []) : [];
    const unchecked: Localized[] = [];
    for (const s of stages) {
      if (s.built) {
        if (!s.leak) continue;
        const where =
          s.leak.foundIn === 'history'
            ? L(`the history of stage \`${s.name}\`, step ${s.leak.step}`, `阶段 \`${s.name}\` 的历史中，步骤 ${s.leak.step}`)
            : L(`the config of stage \`${s.name}\` (${s.leak.where})`, `阶段 \`${s.name}\` 的配置中（${s.leak.where}）`);
        return fail(
          join(
            L(
              `The final image is clean, but the secret ${shown} is in ${where.en}: anyone with your build cache or an image built with --target ${s.name} can read it.`,
              `最终镜像是干净的，但机密 ${shown} 在${where['zh-CN']}：任何拿到你构建缓存或用 --target ${s.name} 构建出的镜像的人都能读到它。`,
            ),
            FIX,
          ),
          { foundIn: `stage-${s.leak.foundIn}`, stage: s.name },
          s.line,
        );
      }
      if (s.name === null) {
        const line = params.buildArg ? argUsedByRun(ctx, s.stage, params.buildArg) : undefined;
        if (line) {
          return fail(
            join(
              L(
                `The secret ${shown} is in the history of the unnamed stage on line ${s.line}: it declares ARG ${params.buildArg ?? ''} and the RUN on line ${line} records its value. Anyone with your build cache can read it.`,
                `机密 ${shown} 在第 ${s.line} 行那个没有名字的阶段的历史里：它声明了 ARG ${params.buildArg ?? ''}，第 ${line} 行的 RUN 记录了它的值。任何拿到你构建缓存的人都能读到。`,
              ),
              FIX,
            ),
            { foundIn: 'stage-history', stage: s.stage },
            line,
          );
        }
        const why = params.buildArg ? L(`; no RUN there follows an ARG ${params.buildArg}`, `；其中没有 RUN 位于 ARG ${params.buildArg} 之后`) : L('', '');
        unchecked.push(
          L(
            `the unnamed stage on line ${s.line} cannot be built on its own (--target needs FROM ... AS <name>)${why.en}`,
            `第 ${s.line} 行没有名字的阶段无法单独构建（--target 需要 FROM ... AS <名字>）${why['zh-CN']}`,
          ),
        );
      } else {
        unchecked.push(L(`stage ${s.name} did not build on its own (--target ${s.name})`, `阶段 ${s.name} 无法单独构建（--target ${s.name}）`));
      }
    }
    const checked = stages.filter((s) => s.built).length;
    const files = 'files' in m ? (m.files ?? 0) : 0;
    const earlier = checked ? L(`, and from the history and config of ${checked} earlier stage(s)`, `，以及 ${checked} 个之前阶段的历史和配置中`) : L('', '');
    const notChecked = unchecked.length
      ? L(` Not checked: ${unchecked.map((u) => u.en).join('; ')}.`, `未检查：${unchecked.map((u) => u['zh-CN']).join('；')}。`)
      : L('', '');
    return pass(
      L(
        `The secret is absent from ${m.historySteps} history steps, the image config and ${files} files of the final image${earlier.en}.${notChecked.en}`,
        `在最终镜像的 ${m.historySteps} 个历史步骤、镜像配置和 ${files} 个文件中都没有找到机密${earlier['zh-CN']}。${notChecked['zh-CN']}`,
      ),
      { historySteps: m.historySteps, files, stagesChecked: checked, stagesUnchecked: unchecked.length },
    );
  },
});
