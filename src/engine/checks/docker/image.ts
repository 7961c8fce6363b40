import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { z } from 'zod';
import { L, type Localized } from '../../i18n.js';
import type { ImageInspect } from '../../docker/session.js';
import { copyProgramOut, entrypointProgram } from './binary.js';
import { sizeChart } from './size-chart.js';
import type { DockerContext } from '../types.js';
import { dockerCheck, fail, finalStageLine, join, lessonImage, markBuildFailureShown, mb, needsBuildkitOutcome, pass, quoteLines, secs, stepLine } from './common.js';

const stringRecord = z.record(z.string(), z.union([z.string(), z.number()]).transform(String));

export const imageBuilds = dockerCheck({
  id: 'image.builds',
  title: L('The image builds', '镜像可以构建'),
  params: z.object({ buildArgs: stringRecord.optional() }),
  run: async (ctx, params) => {
    const build = await ctx.docker.lessonImage(params.buildArgs);
    if (build.needsBuildkit) return needsBuildkitOutcome(build);
    const seconds = build.durationMs / 1000;
    const cached = build.steps.filter((s) => s.cached).length;
    const measured = { buildSeconds: Number(seconds.toFixed(1)), steps: build.steps.length, cachedSteps: cached };
    if (build.ok && build.tag) {
      // The size is recorded too: the first image a learner builds is the yardstick of later lessons.
      const size = (await ctx.docker.inspectImage(build.tag)).size;
      return pass(
        L(
          `Built in ${secs(seconds)} (${cached} of ${build.steps.length} steps from cache); the image is ${mb(size)}.`,
          `构建用时 ${secs(seconds)}（${build.steps.length} 个步骤中 ${cached} 个来自缓存）；镜像大小 ${mb(size)}。`,
        ),
        { ...measured, sizeBytes: size },
      );
    }
    markBuildFailureShown(build);
    const step = build.failedStep;
    const line = step ? stepLine(ctx, step) : undefined;
    const where = step ? L(` at step ${step}${line ? ` (line ${line})` : ''}`, `，失败的步骤是 ${step}${line ? `（第 ${line} 行）` : ''}`) : L('', '');
    return fail(
      L(`The build failed${where.en}:${quoteLines(build.tail)}`, `构建失败${where['zh-CN']}：${quoteLines(build.tail)}`),
      measured,
      line,
    );
  },
});

export const imageSize = dockerCheck({
  id: 'image.size',
  title: L('The image is small', '镜像足够小'),
  params: z.object({
    maxMB: z.number().positive(),
    /** Add a chart: your first image, this image and the binary inside it. */
    chart: z.boolean().default(false),
  }),
  run: async (ctx, params) => {
    const built = await lessonImage(ctx);
    if (!built.ok) return built.outcome;
    const image = await ctx.docker.inspectImage(built.image);
    const budget = params.maxMB * 1e6;
    const firstRaw = ctx.history['image.size']?.firstImageBytes;
    const first = typeof firstRaw === 'number' && firstRaw > 0 ? firstRaw : undefined;
    const measured = { sizeBytes: image.size, budgetBytes: budget, firstImageBytes: first ?? image.size };
    const ratio =
      first && first !== image.size
        ? first > image.size
          ? L(`Your first image was ${mb(first)}: ${(first / image.size).toFixed(1)}× smaller now.`, `你的第一个镜像是 ${mb(first)}：现在小了 ${(first / image.size).toFixed(1)} 倍。`)
          : L(`Your first image was ${mb(first)}.`, `你的第一个镜像是 ${mb(first)}。`)
        : undefined;
    const measure = L(`Image is ${mb(image.size)}, budget ${params.maxMB} MB.`, `镜像大小 ${mb(image.size)}，预算 ${params.maxMB} MB。`);
    const chart = params.chart ? await chartOf(ctx, built.image, image, first) : undefined;
    if (chart) Object.assign(measured, { binaryBytes: chart.binaryBytes ?? null });
    if (image.size <= budget) return pass(join(measure, ratio, chart?.text), measured);
    const facts = ctx.dockerfile?.ok ? ctx.dockerfile.facts : undefined;
    const hint =
      facts && facts.stages < 2
        ? L(
            `It is a single-stage build on ${facts.finalBase}: everything the base and the build put in (${/golang/.test(facts.finalBase) ? 'the Go toolchain, sources, module cache' : 'a whole Linux distribution'}) ships in the image. Build in one stage and COPY --from only the binary into scratch or distroless.`,
            `这是基于 ${facts.finalBase} 的单阶段构建：基础镜像和构建过程放进去的一切（${/golang/.test(facts.finalBase) ? 'Go 工具链、源码、模块缓存' : '一整套 Linux 发行版'}）都进了镜像。请在一个阶段里构建，再用 COPY --from 只把二进制复制到 scratch 或 distroless。`,
          )
        : L(
            `The final stage is based on ${facts?.finalBase ?? 'a large image'}; use a small base (scratch, distroless) and copy only the binary into it.`,
            `最终阶段基于 ${facts?.finalBase ?? '一个较大的镜像'}；请使用小的基础镜像（scratch、distroless），只把二进制复制进去。`,
          );
    return fail(join(measure, ratio, hint, chart?.text), measured);
  },
});

/** Size of the program the image runs (following an entrypoint script is binary.static's job). */
const binaryBytes = async (ctx: DockerContext, ref: string, image: ImageInspect): Promise<number | undefined> => {
  const program = entrypointProgram(image);
  if (!program) return undefined;
  const dir = await mkdtemp(joinPath(tmpdir(), 'learn-go-docker-size-'));
  try {
    const found = await copyProgramOut(ctx, ref, image, program, dir);
    return found && found.bytes.subarray(0, 4).toString('latin1') === '\x7fELF' ? found.bytes.length : undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/** The capstone's chart: the learner's first image, this image, and the binary it carries. */
const chartOf = async (
  ctx: DockerContext,
  ref: string,
  image: ImageInspect,
  first: number | undefined,
): Promise<{ text: Localized; binaryBytes?: number }> => {
  const binary = await binaryBytes(ctx, ref, image);
  const bars = (firstLabel: string, thisLabel: string, binaryLabel: string, smaller: (x: string) => string, overhead: (x: string) => string) =>
    sizeChart([
      ...(first ? [{ label: firstLabel, bytes: first }] : []),
      { label: thisLabel, bytes: image.size, ...(first && first > image.size ? { note: smaller((first / image.size).toFixed(1)) } : {}) },
      ...(binary ? [{ label: binaryLabel, bytes: binary, note: overhead(mb(Math.max(0, image.size - binary))) }] : []),
    ]);
  const en = bars('first image', 'this image', 'the binary', (x) => `${x}x smaller`, (x) => `everything else: ${x}`);
  const zh = bars('第一个镜像', '当前镜像', '二进制', (x) => `小了 ${x} 倍`, (x) => `其余部分：${x}`);
  return { text: L(`\nSizes:\n${en}`, `\n大小对比：\n${zh}`), ...(binary ? { binaryBytes: binary } : {}) };
};

const ROOT_NAMES = new Set(['', '0', 'root']);

/** Resolves a user name to its uid through the image's /etc/passwd, when it has one. */
const uidOfName = async (ctx: DockerContext, image: string, name: string): Promise<number | undefined> => {
  const dir = await mkdtemp(joinPath(tmpdir(), 'learn-go-docker-passwd-'));
  try {
    await ctx.docker.copyFromImage(image, '/etc/passwd', joinPath(dir, 'passwd'));
    const text = await readFile(joinPath(dir, 'passwd'), 'utf8');
    const entry = text.split('\n').find((line) => line.split(':')[0] === name);
    const uid = entry?.split(':')[2];
    return uid !== undefined && /^\d+$/.test(uid) ? Number(uid) : undefined;
  } catch {
    return undefined;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

export const imageUser = dockerCheck({
  id: 'image.user',
  title: L('The image runs as a non-root user', '镜像以非 root 用户运行'),
  params: z.object({
    /**
     * Also require a numeric uid (65532 or 65532:65532): Kubernetes runAsNonRoot can only verify
     * a number, and a name needs /etc/passwd, which scratch lacks.
     */
    numeric: z.boolean().default(false),
  }),
  run: async (ctx, params) => {
    const built = await lessonImage(ctx);
    if (!built.ok) return built.outcome;
    const image = await ctx.docker.inspectImage(built.image);
    const user = image.user.split(':')[0] ?? '';
    const userLine = finalStageLine(ctx, 'USER');
    const measured = { user: image.user };
    if (ROOT_NAMES.has(user)) {
      const shown = image.user === '' ? L('no user (root)', '未设置用户（即 root）') : L(`"${image.user}" (root)`, `"${image.user}"（root）`);
      const where = userLine
        ? L(`Line ${userLine.line}: USER ${userLine.args}.`, `第 ${userLine.line} 行：USER ${userLine.args}。`)
        : L('The final stage has no USER line and its base runs as root.', '最终阶段没有 USER 指令，而它的基础镜像以 root 运行。');
      return fail(
        join(
          L(`The image config User is ${shown.en}.`, `镜像配置中的 User 是 ${shown['zh-CN']}。`),
          where,
          L('Add USER 65532:65532 (or use a :nonroot distroless base).', '请添加 USER 65532:65532（或使用 :nonroot 的 distroless 基础镜像）。'),
        ),
        measured,
        userLine?.line,
      );
    }
    if (!/^\d+$/.test(user)) {
      const uid = await uidOfName(ctx, built.image, user);
      if (params.numeric && uid !== 0) {
        const suggestion = uid === undefined ? '65532:65532' : `${uid}:${uid}`;
        return fail(
          L(
            `The image runs as "${image.user}", a user name. Use a numeric uid (USER ${suggestion}): Kubernetes runAsNonRoot can only verify a number, and a name needs /etc/passwd in the image.`,
            `镜像以用户名 "${image.user}" 运行。请使用数字 uid（USER ${suggestion}）：Kubernetes 的 runAsNonRoot 只能验证数字，而用户名需要镜像里有 /etc/passwd。`,
          ),
          { ...measured, ...(uid === undefined ? {} : { uid }) },
          userLine?.line,
        );
      }
      if (uid === 0) {
        return fail(
          L(`User "${image.user}" has uid 0 in the image's /etc/passwd: it is root under another name.`, `用户 "${image.user}" 在镜像的 /etc/passwd 中 uid 为 0：它其实就是 root。`),
          { ...measured, uid },
          userLine?.line,
        );
      }
    }
    const source = userLine ? L('', '') : L(' (set by the base image)', '（由基础镜像设置）');
    return pass(L(`The image runs as user ${image.user}${source.en}.`, `镜像以用户 ${image.user} 运行${source['zh-CN']}。`), measured, userLine?.line);
  },
});

export const imageLabels = dockerCheck({
  id: 'image.labels',
  title: L('The image has the expected labels', '镜像带有要求的标签'),
  params: z.object({ keys: z.array(z.string().min(1)).min(1) }),
  run: async (ctx, params) => {
    const built = await lessonImage(ctx);
    if (!built.ok) return built.outcome;
    const image = await ctx.docker.inspectImage(built.image);
    const missing = params.keys.filter((key) => image.labels[key] === undefined);
    const present = params.keys.filter((key) => image.labels[key] !== undefined).map((key) => `${key}=${image.labels[key]}`);
    if (missing.length) {
      return fail(
        L(`Missing labels in the image config: ${missing.join(', ')}. Add them with LABEL in the final stage.`, `镜像配置中缺少标签：${missing.join(', ')}。请在最终阶段用 LABEL 添加。`),
        { missing: missing.join(',') },
      );
    }
    return pass(L(`Labels present: ${present.join(', ')}.`, `标签都在：${present.join(', ')}。`), { labels: present.length });
  },
});

export const imageEnv = dockerCheck({
  id: 'image.env',
  title: L('The image sets the environment default', '镜像设置了环境变量默认值'),
  params: z.object({ name: z.string().min(1), value: z.string().optional() }),
  run: async (ctx, params) => {
    const built = await lessonImage(ctx);
    if (!built.ok) return built.outcome;
    const image = await ctx.docker.inspectImage(built.image);
    const entry = image.env.find((e) => e.split('=')[0] === params.name);
    const value = entry === undefined ? undefined : entry.slice(params.name.length + 1);
    if (value === undefined) {
      return fail(L(`${params.name} is not set in the image config: add ENV ${params.name}=… to the final stage.`, `镜像配置中没有设置 ${params.name}：请在最终阶段添加 ENV ${params.name}=…。`));
    }
    if (params.value !== undefined && value !== params.value) {
      return fail(L(`${params.name} is "${value}", expected "${params.value}".`, `${params.name} 的值是 "${value}"，应为 "${params.value}"。`), { value });
    }
    return pass(L(`${params.name}=${value} in the image config.`, `镜像配置中 ${params.name}=${value}。`), { value });
  },
});
