import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join as joinPath } from 'node:path';
import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import { findInTar } from '../../docker/tar-scan.js';
import type { BuildOptions, DockerSession } from '../../docker/session.js';
import { defineCheck } from '../define.js';
import { count, fail, join, mask, pass, unknown, endWithLines } from '../outcome.js';
import type { DockerContext, JudgeContext } from '../types.js';
import { freshDockerfile, withoutFreshArg, withoutFreshSteps } from './fresh-build.js';
import { findInLayers } from './layer-scan.js';
import { Blocked, needsBuildkit, notBuilt } from './measure.js';
import { randomHex } from '../../util/random-hex.js';

type Leak =
  | { readonly foundIn: 'history'; readonly step: string }
  | { readonly foundIn: 'config'; readonly where: string }
  /** In a file of one of the image's layers (possibly deleted by a later step). */
  | { readonly foundIn: 'layer'; readonly path: string };

/** Searches every layer of an image (`docker save`): a file a later step deleted is still in the layer that wrote it. */
const searchLayers = async (ctx: DockerContext, image: string, value: string): Promise<{ leak: Leak | null; layers: number; unreadable: number }> => {
  const stream = await ctx.docker.saveImage(image);
  const result = await findInLayers(stream, value).finally(() => stream.destroy());
  return { leak: result.found ? { foundIn: 'layer', path: result.found.path } : null, layers: result.layers, unreadable: result.unreadable };
};

/**
 * The env= option of a secret mount (Dockerfile syntax 1.10+) when the engine's Dockerfile frontend
 * refuses it: the Dockerfile may well be right, only this engine cannot build it. Any other unknown
 * key is a mistake in the Dockerfile, and stays a build failure.
 */
const unsupportedMountOption = (tail: readonly string[]): string | null => {
  const m = /unexpected key 'env' in '([^']*)'/.exec(tail.join('\n'));
  return m ? (m[1] ?? 'env') : null;
};

/** Where the value is in an image's history (`docker history --no-trunc`) or config (env, labels, cmd). */
const findLeak = async (docker: DockerSession, image: string, value: string, nonce?: string): Promise<Leak | null> => {
  const history = withoutFreshSteps(await docker.history(image), nonce);
  // History is newest first; the oldest step holding the value is where it came in.
  const step = [...history].reverse().find((h) => h.createdBy.includes(value));
  if (step)
    return {
      foundIn: 'history',
      step: withoutFreshArg(step.createdBy, nonce)
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
  | {
      readonly stage: number;
      readonly name: string;
      readonly line: number;
      readonly built: true;
      readonly leak: Leak | null;
      /** Layers searched for files (absent in recordings made before layers were searched). */
      readonly layers?: number;
      readonly unreadable?: number;
    }
  | { readonly stage: number; readonly name: string | null; readonly line: number; readonly built: false };

/**
 * Builds each stage before the final one on its own and searches it, until a leak is found. With
 * a fresh Dockerfile (`nonce`) the stages the final image needed reuse the layers its build just
 * made; without one, a build with a secret is made with --no-cache.
 */
const searchEarlierStages = async (ctx: DockerContext, options: Omit<BuildOptions, 'target'>, value: string, nonce?: string): Promise<StageResult[]> => {
  const analysis = ctx.dockerfile;
  const out: StageResult[] = [];
  if (!analysis?.ok) return out;
  for (const stage of analysis.stages.filter((s) => s.index < analysis.finalStage)) {
    if (!stage.name) {
      out.push({ stage: stage.index, name: null, line: stage.line, built: false });
      continue;
    }
    ctx.progress({ type: 'note', message: L(`Building stage ${stage.name} to search its history…`, `正在构建阶段 ${stage.name} 以检查它的历史…`) });
    // Afresh too when a secret is passed: a cached layer of this stage may hold another secret's copy.
    const build = await ctx.docker.build({ ...options, target: stage.name, noCache: !nonce && Object.keys(options.secrets ?? {}).length > 0 });
    if (!build.ok || !build.imageId) {
      out.push({ stage: stage.index, name: stage.name, line: stage.line, built: false });
      continue;
    }
    const found = await findLeak(ctx.docker, build.imageId, value, nonce);
    if (found) {
      out.push({ stage: stage.index, name: stage.name, line: stage.line, built: true, leak: found });
      break;
    }
    ctx.progress({ type: 'note', message: L(`Searching the layers of stage ${stage.name} for the secret…`, `正在阶段 ${stage.name} 的各层中查找机密…`) });
    const { leak, layers, unreadable } = await searchLayers(ctx, build.imageId, value);
    out.push({ stage: stage.index, name: stage.name, line: stage.line, built: true, leak, layers, unreadable });
    if (leak) break;
  }
  return out;
};

/**
 * The learner's Dockerfile made fresh (fresh-build.ts), written outside the context under its own
 * name, with its own ignore file beside it when it has one (BuildKit reads `<Dockerfile>.dockerignore`).
 * Undefined when it cannot be made: the build then runs with --no-cache.
 */
const writeFreshDockerfile = async (ctx: DockerContext, dir: string): Promise<{ path: string; nonce: string } | undefined> => {
  const text = await ctx.files.read(ctx.dockerfilePath);
  const nonce = randomHex(16);
  const fresh = text === undefined ? null : freshDockerfile(text, ctx.dockerfile, nonce);
  if (fresh === null) return undefined;
  const path = joinPath(dir, basename(ctx.dockerfilePath));
  await writeFile(path, fresh);
  const ownIgnore = await ctx.files.read(`${ctx.dockerfilePath}.dockerignore`);
  if (ownIgnore !== undefined) await writeFile(`${path}.dockerignore`, ownIgnore);
  return { path, nonce };
};

const FIX = L('Pass the secret with RUN --mount=type=secret instead: it is never recorded.', '请改用 RUN --mount=type=secret 传递机密：它不会被记录下来。');

const noSecretParams = s.object({ value: s.string().min(4), buildArg: s.string().min(1).optional(), secretId: s.string().min(1).optional() });

export const imageNoSecret = defineCheck({
  id: 'image.no-secret',
  kind: 'docker',
  buildsLessonImage: false,
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
      // BuildKit's cache key of a RUN with a secret mount leaves the secret out: a layer cached from a
      // build with another secret (image.builds' placeholder) would hide a copy of this one. Built
      // afresh, from a Dockerfile whose RUNs no other build shares (fresh-build.ts), so the earlier
      // stages searched below reuse this build's layers instead of being built again.
      const fresh = params.secretId ? await writeFreshDockerfile(ctx, dir) : undefined;
      let build = await ctx.docker.build({ ...options, ...(fresh ? { dockerfile: fresh.path } : {}), noCache: Boolean(params.secretId) && !fresh });
      // Why it failed, in the learner's own lines: the same build from their Dockerfile.
      if (fresh && !build.ok && !build.needsBuildkit) build = await ctx.docker.build({ ...options, noCache: true });
      const nonce = fresh && build.ok ? fresh.nonce : undefined;
      if (build.needsBuildkit) throw needsBuildkit(build);
      if (!build.ok || !build.imageId) {
        // A mount option this engine's builder does not know yet (env=): the Dockerfile may be right, the engine cannot say.
        const unsupported = unsupportedMountOption(build.tail);
        if (unsupported) return { historySteps: 0, leak: null, unsupported, tail: build.tail.slice(-3) };
        const blocked = notBuilt(ctx, build);
        throw new Blocked(
          blocked.reason,
          join(blocked.short, L('(Built with the secret supplied.)', '（在提供机密的情况下构建。）')),
          blocked.full,
          blocked.line,
        );
      }
      const historySteps = withoutFreshSteps(await ctx.docker.history(build.imageId), nonce).length;
      const leak = await findLeak(ctx.docker, build.imageId, params.value, nonce);
      if (leak) return { historySteps, leak };
      ctx.progress({ type: 'note', message: L('Searching the image file system for the secret…', '正在镜像文件系统中查找机密…') });
      const stream = await ctx.docker.exportFilesystem(build.imageId);
      const { path, files } = await findInTar(stream, params.value).finally(() => stream.destroy());
      if (path) return { historySteps, leak: null, filePath: path, files };
      const layers = await searchLayers(ctx, build.imageId, params.value);
      if (layers.leak) return { historySteps, leak: layers.leak, filePath: null, files };
      // A multi-stage build leaves earlier stages out of the final image, not out of the build cache.
      const stages = await searchEarlierStages(ctx, nonce && fresh ? { ...options, dockerfile: fresh.path } : options, params.value, nonce);
      return { historySteps, leak: null, filePath: null, files, layers: layers.layers, unreadable: layers.unreadable, stages };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
  judge: (m, params, ctx) => {
    const shown = mask(params.value);
    if ('unsupported' in m && m.unsupported) {
      return unknown(
        L(
          `Your Docker's builder refuses the mount option ${m.unsupported}${endWithLines(m.tail ?? []).en}\nRUN --mount=type=secret,...,env=... needs Dockerfile syntax 1.10 or later (BuildKit 0.16+). Without an image there was nothing to search, so whether the secret stays out is unknown here. On this Docker, mount it as a file instead (target=...).`,
          `你的 Docker 的构建器不认识挂载选项 ${m.unsupported}${endWithLines(m.tail ?? [])['zh-CN']}\nRUN --mount=type=secret,...,env=... 需要 Dockerfile 语法 1.10 及以上（BuildKit 0.16+）。没有镜像就无从查找，所以在这里无法判断机密是否被排除在外。在这个 Docker 上请改为以文件形式挂载（target=...）。`,
        ),
      );
    }
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
    if (m.leak?.foundIn === 'layer') {
      const file = `/${m.leak.path.replace(/^\.?\//, '')}`;
      return fail(
        L(
          `The secret ${shown} is in a layer of the image: ${file}. A later step deleted it, but the layer that wrote it still holds it (docker save gives every layer back). Mount the secret for the RUN that needs it and never write it to a file that outlives that RUN.`,
          `机密 ${shown} 在镜像的某一层里：${file}。后面的步骤删掉了它，但写入它的那一层仍然保留着（docker save 能取回每一层）。请只在需要它的 RUN 中挂载机密，不要把它写进活得比那条 RUN 更久的文件。`,
        ),
        { foundIn: 'layer' },
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
            : s.leak.foundIn === 'layer'
              ? L(
                  `a file of stage \`${s.name}\`, /${s.leak.path.replace(/^\.?\//, '')} (in a layer: deleting it in a later step does not take it out)`,
                  `阶段 \`${s.name}\` 的一个文件 /${s.leak.path.replace(/^\.?\//, '')} 中（它在某一层里：在后面的步骤中删除并不能把它去掉）`,
                )
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
    const built = stages.filter((s) => s.built);
    const checked = built.length;
    const files = 'files' in m ? (m.files ?? 0) : 0;
    const finalLayers = 'layers' in m ? m.layers : undefined;
    const stageLayers = built.some((s) => s.layers !== undefined);
    const unreadable = ('unreadable' in m ? (m.unreadable ?? 0) : 0) + built.reduce((n, s) => n + (s.unreadable ?? 0), 0);
    if (unreadable)
      unchecked.push(L(`${count(unreadable, 'zstd-compressed layer')}, which this runner cannot read`, `${unreadable} 个 zstd 压缩的层（运行器无法读取）`));
    const layersText = finalLayers !== undefined ? L(` (and its ${finalLayers} layers)`, `（及其 ${finalLayers} 个层）`) : L('', '');
    const earlier = checked
      ? stageLayers
        ? L(`, and from the history, config and layers of ${count(checked, 'earlier stage')}`, `，以及 ${checked} 个之前阶段的历史、配置和各层中`)
        : L(`, and from the history and config of ${count(checked, 'earlier stage')}`, `，以及 ${checked} 个之前阶段的历史和配置中`)
      : L('', '');
    const notChecked = unchecked.length
      ? L(` Not checked: ${unchecked.map((u) => u.en).join('; ')}.`, `未检查：${unchecked.map((u) => u['zh-CN']).join('；')}。`)
      : L('', '');
    return pass(
      L(
        `The secret is absent from ${m.historySteps} history steps, the image config and ${files} files of the final image${layersText.en}${earlier.en}.${notChecked.en}`,
        `在最终镜像的 ${m.historySteps} 个历史步骤、镜像配置和 ${files} 个文件${layersText['zh-CN']}中都没有找到机密${earlier['zh-CN']}。${notChecked['zh-CN']}`,
      ),
      { historySteps: m.historySteps, files, stagesChecked: checked, stagesUnchecked: unchecked.length },
    );
  },
});
