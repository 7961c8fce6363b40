import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { z } from 'zod';
import { L, type Localized } from '../../i18n.js';
import { defineCheck } from '../define.js';
import { fail, join, mb, outcome, pass, quoteLines, secs, skip } from '../outcome.js';
import type { DockerContext } from '../types.js';
import { copyProgramOut, entrypointProgram } from './binary.js';
import { finalStageLine, stepLine } from './explain.js';
import { lessonImage, needsBuildkit } from './measure.js';
import { sizeChart } from './size-chart.js';

const stringRecord = z.record(z.string(), z.union([z.string(), z.number()]).transform(String));

export const imageBuilds = defineCheck({
  id: 'image.builds',
  kind: 'docker',
  title: L('The image builds', '镜像可以构建'),
  params: z.object({ buildArgs: stringRecord.optional() }),
  measure: async (ctx, params) => {
    const build = await ctx.docker.lessonImage(params.buildArgs);
    // The size is recorded too: the first image a learner builds is the yardstick of later lessons.
    const sizeBytes = build.ok && build.imageId ? (await ctx.docker.inspectImage(build.imageId)).size : null;
    return {
      ok: build.ok,
      needsBuildkit: build.needsBuildkit ?? false,
      buildkitFeatures: build.buildkitFeatures ?? [],
      seconds: build.durationMs / 1000,
      steps: build.steps.length,
      cachedSteps: build.steps.filter((s) => s.cached).length,
      failedStep: build.failedStep ?? null,
      tail: build.tail,
      sizeBytes,
    };
  },
  judge: (m, _params, ctx) => {
    if (m.needsBuildkit) {
      const blocked = needsBuildkit(m);
      return skip(blocked.full, 'needs-buildkit', { needsBuildkit: true });
    }
    const measured = { buildSeconds: Number(m.seconds.toFixed(1)), steps: m.steps, cachedSteps: m.cachedSteps };
    if (m.ok && m.sizeBytes !== null) {
      return pass(
        L(
          `Built in ${secs(m.seconds)} (${m.cachedSteps} of ${m.steps} steps from cache); the image is ${mb(m.sizeBytes)}.`,
          `构建用时 ${secs(m.seconds)}（${m.steps} 个步骤中 ${m.cachedSteps} 个来自缓存）；镜像大小 ${mb(m.sizeBytes)}。`,
        ),
        { ...measured, sizeBytes: m.sizeBytes },
      );
    }
    const step = m.failedStep;
    const line = step ? stepLine(ctx.dockerfile, step) : undefined;
    const where = step ? L(` at step ${step}${line ? ` (line ${line})` : ''}`, `，失败的步骤是 ${step}${line ? `（第 ${line} 行）` : ''}`) : L('', '');
    // This failure is the reason later checks skip: it explains 'not-built' itself.
    return outcome('fail', L(`The build failed${where.en}:${quoteLines(m.tail)}`, `构建失败${where['zh-CN']}：${quoteLines(m.tail)}`), {
      measured,
      line,
      reason: 'not-built',
    });
  },
});

/** Size of the program the image runs (following an entrypoint script is binary.static's job). */
const binaryBytes = async (ctx: DockerContext, id: string, image: Parameters<typeof entrypointProgram>[0]): Promise<number | null> => {
  const program = entrypointProgram(image);
  if (!program) return null;
  const dir = await mkdtemp(joinPath(tmpdir(), 'learn-go-docker-size-'));
  try {
    const found = await copyProgramOut(ctx, id, image, program, dir);
    return found && found.bytes.subarray(0, 4).toString('latin1') === '\x7fELF' ? found.bytes.length : null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/** The capstone's chart: the learner's first image, this image, and the binary it carries. */
const chartText = (sizeBytes: number, first: number | undefined, binary: number | null): Localized => {
  const bars = (firstLabel: string, thisLabel: string, binaryLabel: string, smaller: (x: string) => string, overhead: (x: string) => string) =>
    sizeChart([
      ...(first ? [{ label: firstLabel, bytes: first }] : []),
      { label: thisLabel, bytes: sizeBytes, ...(first && first > sizeBytes ? { note: smaller((first / sizeBytes).toFixed(1)) } : {}) },
      ...(binary ? [{ label: binaryLabel, bytes: binary, note: overhead(mb(Math.max(0, sizeBytes - binary))) }] : []),
    ]);
  const en = bars(
    'first image',
    'this image',
    'the binary',
    (x) => `${x}x smaller`,
    (x) => `everything else: ${x}`,
  );
  const zh = bars(
    '第一个镜像',
    '当前镜像',
    '二进制',
    (x) => `小了 ${x} 倍`,
    (x) => `其余部分：${x}`,
  );
  return L(`\nSizes:\n${en}`, `\n大小对比：\n${zh}`);
};

export const imageSize = defineCheck({
  id: 'image.size',
  kind: 'docker',
  title: L('The image is small', '镜像足够小'),
  params: z.object({
    maxMB: z.number().positive(),
    /** Add a chart: your first image, this image and the binary inside it. */
    chart: z.boolean().default(false),
  }),
  measure: async (ctx, params) => {
    const { id, image } = await lessonImage(ctx);
    return { sizeBytes: image.size, binaryBytes: params.chart ? await binaryBytes(ctx, id, image) : null };
  },
  judge: (m, params, ctx) => {
    const budget = params.maxMB * 1e6;
    const firstRaw = ctx.history['image.size']?.firstImageBytes;
    const first = typeof firstRaw === 'number' && firstRaw > 0 ? firstRaw : undefined;
    const measured = {
      sizeBytes: m.sizeBytes,
      budgetBytes: budget,
      firstImageBytes: first ?? m.sizeBytes,
      ...(params.chart ? { binaryBytes: m.binaryBytes } : {}),
    };
    const ratio =
      first && first !== m.sizeBytes
        ? first > m.sizeBytes
          ? L(
              `Your first image was ${mb(first)}: ${(first / m.sizeBytes).toFixed(1)}× smaller now.`,
              `你的第一个镜像是 ${mb(first)}：现在小了 ${(first / m.sizeBytes).toFixed(1)} 倍。`,
            )
          : L(`Your first image was ${mb(first)}.`, `你的第一个镜像是 ${mb(first)}。`)
        : undefined;
    const measure = L(`Image is ${mb(m.sizeBytes)}, budget ${params.maxMB} MB.`, `镜像大小 ${mb(m.sizeBytes)}，预算 ${params.maxMB} MB。`);
    const chart = params.chart ? chartText(m.sizeBytes, first, m.binaryBytes) : undefined;
    if (m.sizeBytes <= budget) return pass(join(measure, ratio, chart), measured);
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
    return fail(join(measure, ratio, hint, chart), measured);
  },
});

const ROOT_NAMES = new Set(['', '0', 'root']);

/** Resolves a user name to its uid through the image's /etc/passwd, when it has one. */
const uidOfName = async (ctx: DockerContext, image: string, name: string): Promise<number | null> => {
  const dir = await mkdtemp(joinPath(tmpdir(), 'learn-go-docker-passwd-'));
  try {
    await ctx.docker.copyFromImage(image, '/etc/passwd', joinPath(dir, 'passwd'));
    const text = await readFile(joinPath(dir, 'passwd'), 'utf8');
    const entry = text.split('\n').find((line) => line.split(':')[0] === name);
    const uid = entry?.split(':')[2];
    return uid !== undefined && /^\d+$/.test(uid) ? Number(uid) : null;
  } catch {
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

export const imageUser = defineCheck({
  id: 'image.user',
  kind: 'docker',
  title: L('The image runs as a non-root user', '镜像以非 root 用户运行'),
  params: z.object({
    /**
     * Also require a numeric uid (65532 or 65532:65532): Kubernetes runAsNonRoot can only verify
     * a number, and a name needs /etc/passwd, which scratch lacks.
     */
    numeric: z.boolean().default(false),
  }),
  measure: async (ctx) => {
    const { id, image } = await lessonImage(ctx);
    const name = image.user.split(':')[0] ?? '';
    // A name is resolved through the image's own /etc/passwd: "app" may still be uid 0.
    const uid = /^\d+$/.test(name) ? Number(name) : ROOT_NAMES.has(name) ? 0 : await uidOfName(ctx, id, name);
    return { user: image.user, uid };
  },
  judge: (m, params, ctx) => {
    const user = m.user.split(':')[0] ?? '';
    const userLine = finalStageLine(ctx.dockerfile, 'USER');
    const measured = { user: m.user, ...(m.uid === null ? {} : { uid: m.uid }) };
    if (ROOT_NAMES.has(user)) {
      const shown = m.user === '' ? L('no user (root)', '未设置用户（即 root）') : L(`"${m.user}" (root)`, `"${m.user}"（root）`);
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
      if (m.uid === 0) {
        return fail(
          L(
            `User "${m.user}" has uid 0 in the image's /etc/passwd: it is root under another name.`,
            `用户 "${m.user}" 在镜像的 /etc/passwd 中 uid 为 0：它其实就是 root。`,
          ),
          measured,
          userLine?.line,
        );
      }
      if (params.numeric) {
        const suggestion = m.uid === null ? '65532:65532' : `${m.uid}:${m.uid}`;
        return fail(
          L(
            `The image runs as "${m.user}", a user name. Use a numeric uid (USER ${suggestion}): Kubernetes runAsNonRoot can only verify a number, and a name needs /etc/passwd in the image.`,
            `镜像以用户名 "${m.user}" 运行。请使用数字 uid（USER ${suggestion}）：Kubernetes 的 runAsNonRoot 只能验证数字，而用户名需要镜像里有 /etc/passwd。`,
          ),
          measured,
          userLine?.line,
        );
      }
    }
    const source = userLine ? L('', '') : L(' (set by the base image)', '（由基础镜像设置）');
    return pass(L(`The image runs as user ${m.user}${source.en}.`, `镜像以用户 ${m.user} 运行${source['zh-CN']}。`), measured, userLine?.line);
  },
});

export const imageLabels = defineCheck({
  id: 'image.labels',
  kind: 'docker',
  title: L('The image has the expected labels', '镜像带有要求的标签'),
  params: z.object({ keys: z.array(z.string().min(1)).min(1) }),
  measure: async (ctx) => ({ labels: (await lessonImage(ctx)).image.labels }),
  judge: (m, params) => {
    const missing = params.keys.filter((key) => m.labels[key] === undefined);
    const present = params.keys.filter((key) => m.labels[key] !== undefined).map((key) => `${key}=${m.labels[key]}`);
    if (missing.length) {
      return fail(
        L(
          `Missing labels in the image config: ${missing.join(', ')}. Add them with LABEL in the final stage.`,
          `镜像配置中缺少标签：${missing.join(', ')}。请在最终阶段用 LABEL 添加。`,
        ),
        { missing: missing.join(',') },
      );
    }
    return pass(L(`Labels present: ${present.join(', ')}.`, `标签都在：${present.join(', ')}。`), { labels: present.length });
  },
});

export const imageEnv = defineCheck({
  id: 'image.env',
  kind: 'docker',
  title: L('The image sets the environment default', '镜像设置了环境变量默认值'),
  params: z.object({ name: z.string().min(1), value: z.string().optional() }),
  measure: async (ctx) => ({ env: (await lessonImage(ctx)).image.env }),
  judge: (m, params) => {
    const entry = m.env.find((e) => e.split('=')[0] === params.name);
    const value = entry === undefined ? undefined : entry.slice(params.name.length + 1);
    if (value === undefined) {
      return fail(
        L(
          `${params.name} is not set in the image config: add ENV ${params.name}=… to the final stage.`,
          `镜像配置中没有设置 ${params.name}：请在最终阶段添加 ENV ${params.name}=…。`,
        ),
      );
    }
    if (params.value !== undefined && value !== params.value) {
      return fail(L(`${params.name} is "${value}", expected "${params.value}".`, `${params.name} 的值是 "${value}"，应为 "${params.value}"。`), { value });
    }
    return pass(L(`${params.name}=${value} in the image config.`, `镜像配置中 ${params.name}=${value}。`), { value });
  },
});
