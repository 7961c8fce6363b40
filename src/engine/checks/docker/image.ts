import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import { defineCheck } from '../define.js';
import { fail, join, mb, outcome, pass, quoteLines, secs, secsZh, skip } from '../outcome.js';
import type { DockerContext, JudgeContext } from '../types.js';
import { entrypointBinary, entrypointProgram } from './binary.js';
import { baseNotFetched, failedBase, finalStageLine, stepLine } from './explain.js';
import { parseImageRef, repositoryName } from '../../dockerfile/image-ref.js';
import { lessonImage, needsBuildkit } from './measure.js';
import { probeValue } from './probe-values.js';
import { sizeChart } from './size-chart.js';
import { finalChain, runText, setsOwnCommand } from '../static/common.js';
import { GO_COMPILE } from '../go-commands.js';
import { dockerignoreFor } from '../ignore-file.js';
import { matchIgnore, parseDockerignore } from '../../dockerfile/dockerignore.js';

const stringRecord = s.record(s.string(), s.union([s.string(), s.number()]).transform(String));

/** A build step the builder can take from its cache: every instruction but FROM. */
const cacheable = (step: { readonly name: string }): boolean => !/^\[[^\]]*\] FROM\s/i.test(step.name);

export const imageBuilds = defineCheck({
  id: 'image.builds',
  kind: 'docker',
  title: L('The image builds', '镜像可以构建'),
  params: s.object({
    buildArgs: stringRecord.optional(),
    /**
     * Build secrets the lesson builds with (`docker build --secret id=netrc,...`): each gets a
     * placeholder file with no credential in it, so a Dockerfile that requires the secret builds as
     * it does for the learner, and nothing real is ever handed to the build.
     */
    secrets: s.array(s.string().min(1)).default([]),
  }),
  needs: (params) => (params.secrets.length ? ['buildkit'] : []),
  // With secrets or build args it builds its own image, not the lesson image a verify starts early.
  buildsLessonImage: (params) => params.secrets.length === 0 && params.buildArgs === undefined,
  measure: async (ctx, params) => {
    const build = params.secrets.length ? await buildWithPlaceholders(ctx, params.secrets, params.buildArgs) : await ctx.docker.lessonImage(params.buildArgs);
    // The size is recorded too: the first image a learner builds is the yardstick of later lessons.
    const sizeBytes = build.ok && build.imageId ? (await ctx.docker.inspectImage(build.imageId)).size : null;
    return {
      secrets: params.secrets,
      ok: build.ok,
      needsBuildkit: build.needsBuildkit ?? false,
      buildkitFeatures: build.buildkitFeatures ?? [],
      seconds: build.durationMs / 1000,
      // FROM is never a cache hit (the base is resolved, not built): counting it made a build that
      // reused every step read as "5 of 6 steps from cache".
      steps: build.steps.filter(cacheable).length,
      cachedSteps: build.steps.filter((s) => cacheable(s) && s.cached).length,
      failedStep: build.failedStep ?? null,
      tail: build.tail,
      sizeBytes,
      ...(build.timedOut ? { timedOut: true } : {}),
      ...(build.ok ? {} : { ignored: await ignoredSources(ctx, build.tail), ...(await baseTagsHere(ctx, build.failedStep)) }),
    };
  },
  judge: (m, _params, ctx) => {
    if (m.needsBuildkit) {
      const blocked = needsBuildkit(m);
      return skip(blocked.full, 'needs-buildkit', { needsBuildkit: true });
    }
    const measured = { buildSeconds: Number(m.seconds.toFixed(1)), steps: m.steps, cachedSteps: m.cachedSteps };
    const secretIds = m.secrets ?? [];
    const withSecrets = secretIds.length
      ? L(
          ` Built as you build it, with ${secretIds.map((id) => `--secret id=${id}`).join(' ')} (a placeholder file, no credential in it).`,
          `按你的方式构建，带 ${secretIds.map((id) => `--secret id=${id}`).join(' ')}（占位文件，不含任何凭据）。`,
        )
      : L('', '');
    if (m.ok && m.sizeBytes !== null) {
      return pass(
        L(
          // No step seen: another build of the same files ran them at the same time (BuildKit shares them).
          m.steps > 0
            ? `Built in ${secs(m.seconds)} (${m.cachedSteps} of ${m.steps} steps from cache); the image is ${mb(m.sizeBytes)}.${withSecrets.en}`
            : `Built in ${secs(m.seconds)}; the image is ${mb(m.sizeBytes)}.${withSecrets.en}`,
          m.steps > 0
            ? `构建用时 ${secsZh(m.seconds)}（${m.steps} 个步骤中 ${m.cachedSteps} 个来自缓存）；镜像大小 ${mb(m.sizeBytes)}。${withSecrets['zh-CN']}`
            : `构建用时 ${secsZh(m.seconds)}；镜像大小 ${mb(m.sizeBytes)}。${withSecrets['zh-CN']}`,
        ),
        { ...measured, sizeBytes: m.sizeBytes },
      );
    }
    const step = m.failedStep;
    const missing = step ? missingStage(ctx.dockerfile, step) : undefined;
    const line = missing?.line ?? (step ? stepLine(ctx.dockerfile, step) : undefined);
    const where = step ? L(` at step ${step}${line ? ` (line ${line})` : ''}`, `，失败的步骤是 ${step}${line ? `（第 ${line} 行）` : ''}`) : L('', '');
    if (m.timedOut) {
      return outcome(
        'fail',
        L(
          `The build ran ${secs(m.seconds)} and was stopped${where.en}: longer than a build may take here. Build it once yourself (its layers are then cached) and check again.`,
          `构建运行了 ${secsZh(m.seconds)} 后被停止${where['zh-CN']}：超过了这里允许的构建时间。请先自己构建一次（各层随后会被缓存），再检查。`,
        ),
        { measured, line, reason: 'not-built' },
      );
    }
    // BuildKit repeats the error in its summary: each line once is enough.
    const tail = quoteLines(m.tail.filter((l, i) => m.tail.indexOf(l) === i));
    // This failure is the reason later checks skip: it explains 'not-built' itself.
    return outcome(
      'fail',
      join(
        L(`The build failed${where.en}:${tail}`, `构建失败${where['zh-CN']}：${tail}`),
        missing?.why,
        copyFromMissing(ctx.dockerfile, step, m.tail),
        baseNotFetched(ctx.dockerfile, step, m.tail, m.baseTagsHere, m.baseDigestHere),
        heredocUnread(ctx.dockerfile, m.tail),
        ...(m.ignored ?? []).map(ignoredWhy),
        withSecrets.en ? L(withSecrets.en.trim(), withSecrets['zh-CN']) : undefined,
      ),
      {
        measured,
        line,
        reason: 'not-built',
      },
    );
  },
});

/**
 * A heredoc body read as instructions ("dockerfile parse error line 27: unknown instruction: GO"): the
 * engine's built-in Dockerfile frontend is older than heredocs (syntax 1.4, built into Docker 23.0).
 */
export const heredocUnread = (analysis: JudgeContext['dockerfile'], tail: readonly string[]): Localized | undefined => {
  const line = Number(/parse error (?:on )?line (\d+): unknown instruction/i.exec(tail.join('\n'))?.[1]);
  const heredoc = analysis?.ok ? analysis.instructions.find((i) => i.heredocs.length > 0 && i.line < line && line <= i.endLine) : undefined;
  if (!heredoc) return undefined;
  return L(
    `Line ${line} is inside the heredoc of line ${heredoc.line} (${heredoc.keyword} <<${heredoc.heredocs[0]?.name ?? 'EOF'}), but this Docker's built-in Dockerfile reader is older than heredocs and read it as an instruction. Put # syntax=docker/dockerfile:1 on the first line (BuildKit then fetches a current reader; it needs the network), or write the commands as one ${heredoc.keyword} joined with &&.`,
    `第 ${line} 行在第 ${heredoc.line} 行的 heredoc（${heredoc.keyword} <<${heredoc.heredocs[0]?.name ?? 'EOF'}）里面，但这个 Docker 内置的 Dockerfile 解析器比 heredoc 还旧，把它当成了指令。请在第一行写上 # syntax=docker/dockerfile:1（BuildKit 会去获取新的解析器，需要联网），或者把这些命令写成一个用 && 连接的 ${heredoc.keyword}。`,
  );
};

/** A file the build did not find although it is in the workspace: an ignore file's line left it out. */
interface IgnoredSource {
  readonly path: string;
  readonly ignoreFile: string;
  readonly line: number;
  readonly pattern: string;
}

/** The paths BuildKit says it did not find (`"/go.sum": not found`, `"/go.sum" not found`), context-relative. */
export const notFoundPaths = (tail: readonly string[]): string[] => [
  ...new Set(tail.flatMap((line) => [...line.matchAll(/"\/?([^"]+)":? not found/g)].map((m) => m[1] ?? '').filter(Boolean))),
];

/**
 * When the build stopped fetching a base image: the tags of that repository this machine has (a
 * mistyped tag of an image that is here is the likely mistake, not the network).
 */
const baseTagsHere = async (ctx: DockerContext, failedStep: string | undefined): Promise<{ baseTagsHere?: string[]; baseDigestHere?: string | null }> => {
  const image = failedBase(failedStep);
  if (!image || !ctx.docker.localTags) return {};
  const ref = parseImageRef(image);
  const tags = await ctx.docker.localTags(repositoryName(ref)).catch(() => []);
  // A pinned base: the digest this engine recorded for the tag it names (null: the tag is here
  // without one), to tell a mistyped digest from an image that was never pulled.
  const tagged = ref.digest && ref.tag ? `${repositoryName(ref)}:${ref.tag}` : undefined;
  if (!tagged || !ctx.docker.repoDigests) return { baseTagsHere: tags };
  const digests = await ctx.docker.repoDigests([tagged]).catch(() => new Map<string, string>());
  return { baseTagsHere: tags, baseDigestHere: digests.get(tagged) ?? null };
};

/** Of the paths the build did not find, those that exist in the workspace but the ignore file excludes. */
const ignoredSources = async (ctx: DockerContext, tail: readonly string[]): Promise<IgnoredSource[]> => {
  const paths = notFoundPaths(tail);
  if (!paths.length) return [];
  const ignore = await dockerignoreFor(ctx.files, ctx.dockerfilePath);
  if (!ignore) return [];
  const patterns = parseDockerignore(ignore.text);
  const found: IgnoredSource[] = [];
  for (const path of paths) {
    const verdict = matchIgnore(patterns, path);
    if (!verdict.excluded || !verdict.by) continue;
    const there = (await ctx.files.read(path).catch(() => undefined)) !== undefined || (await ctx.files.list(path)).length > 0;
    if (there) found.push({ path, ignoreFile: ignore.path, line: verdict.by.line, pattern: verdict.by.text });
  }
  return found;
};

const ignoredWhy = (i: IgnoredSource): Localized =>
  L(
    `${i.path} is in your folder, but line ${i.line} of ${i.ignoreFile} ("${i.pattern}") leaves it out of the build context, so the build cannot see it. Remove that line, or add "!${i.path}" after it.`,
    `${i.path} 就在你的目录里，但 ${i.ignoreFile} 第 ${i.line} 行（"${i.pattern}"）把它排除在构建上下文之外，所以构建看不到它。请删除这一行，或在它后面加上 "!${i.path}"。`,
  );

/** The lesson's build with a placeholder file for each secret id (a separate build: the lesson image has none). */
const buildWithPlaceholders = async (ctx: DockerContext, ids: readonly string[], buildArgs: Readonly<Record<string, string>> | undefined) => {
  const dir = await mkdtemp(joinPath(tmpdir(), 'learn-go-docker-placeholder-'));
  try {
    const secrets: Record<string, string> = {};
    for (const id of ids) {
      const file = joinPath(dir, id.replace(/[^A-Za-z0-9_.-]/g, '_'));
      await writeFile(file, `# learn-go-docker: a placeholder for the build secret "${id}", with no credential in it\n`, { mode: 0o600 });
      secrets[id] = file;
    }
    return await ctx.docker.build({ contextDir: ctx.files.dir, dockerfile: ctx.dockerfilePath, buildArgs, secrets });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/**
 * A failed "FROM docker.io/library/biuld:latest" step that comes from COPY --from=biuld naming no
 * stage: Docker then looks for an image of that name. The words and the line of that COPY.
 */
const missingStage = (analysis: JudgeContext['dockerfile'], step: string): { why: Localized; line: number } | undefined => {
  const name = /\bFROM (?:docker\.io\/library\/)?([^\s:@]+)/.exec(step)?.[1]?.toLowerCase();
  if (!name || !analysis?.ok || analysis.stages.some((s) => s.name === name)) return undefined;
  const copy = analysis.instructions.find((i) => i.keyword === 'COPY' && i.flags.some((f) => f.name === 'from' && f.value?.toLowerCase() === name));
  if (!copy) return undefined;
  const named = analysis.stages.flatMap((s) => (s.name ? [s.name] : []));
  const stages = named.length ? named.join(', ') : 'none named';
  const stagesZh = named.length ? named.join('、') : '没有命名的阶段';
  return {
    line: copy.line,
    why: L(
      `Line ${copy.line}: COPY --from=${name} names no stage of this Dockerfile (stages: ${stages}), so Docker looked for an image called ${name}. Use the AS name of the build stage.`,
      `第 ${copy.line} 行：COPY --from=${name} 指向的不是本 Dockerfile 中的阶段（阶段：${stagesZh}），所以 Docker 去找了一个叫 ${name} 的镜像。请使用构建阶段 AS 后面的名字。`,
    ),
  };
};

/**
 * A COPY --from whose source is not in that stage. BuildKit 0.8 says it as "failed to walk
 * /var/lib/docker/overlay2/<id>/merged/out: lstat ...: no such file or directory" (later ones
 * '"/out/server": not found'): the path that was missing, the COPY's line, and where that stage's
 * go build -o writes, when it says.
 */
export const copyFromMissing = (analysis: JudgeContext['dockerfile'], step: string | null, tail: readonly string[]): Localized | undefined => {
  const copy = step ? /\bCOPY\s+(?:--\S+\s+)*?--from=(\S+)\s+(?:--\S+\s+)*(\S+)/i.exec(step) : null;
  if (!copy || !analysis?.ok) return undefined;
  const [, stage = '', source = ''] = copy;
  const text = tail.join('\n');
  const walked = /failed to walk \S*?\/merged(\/\S*?): lstat/.exec(text)?.[1];
  if (!walked && !/not found|no such file or directory/i.test(text)) return undefined;
  const line = stepLine(analysis, step ?? '');
  const at = line ? L(` (line ${line})`, `（第 ${line} 行）`) : L('', '');
  const from = analysis.stages.find((s) => s.name === stage.toLowerCase());
  // That stage's compile step (its own instructions only: stage indexes, not line ranges).
  const build = from ? analysis.instructions.find((i) => i.stage === from.index && i.keyword === 'RUN' && GO_COMPILE.test(runText(i))) : undefined;
  const out = build ? /\s-o[=\s]+(\S+)/.exec(runText(build))?.[1] : undefined;
  const missing = walked && source.startsWith(walked) ? walked : source;
  const writes = out ? L(` Its go build -o writes ${out} (line ${build?.line}).`, `它的 go build -o 写的是 ${out}（第 ${build?.line} 行）。`) : L('', '');
  return L(
    `Stage ${stage} has no ${missing}, so COPY --from=${stage} ${source}${at.en} found nothing to copy: copy the path that stage wrote the file to.${writes.en}`,
    `阶段 ${stage} 里没有 ${missing}，所以 COPY --from=${stage} ${source}${at['zh-CN'] || ' '}没有可复制的东西：请复制那个阶段实际写出文件的路径。${writes['zh-CN']}`,
  );
};

/** Size of the program the image runs (following an entrypoint script is binary.static's job). */
const binaryBytes = async (ctx: DockerContext, id: string, image: Parameters<typeof entrypointProgram>[0]): Promise<number | null> => {
  const found = await entrypointBinary(ctx, id, image);
  return found && found.bytes.subarray(0, 4).toString('latin1') === '\x7fELF' ? found.bytes.length : null;
};

/**
 * The final stage's base image and its size, as Docker has it locally (it was just built FROM it);
 * null when the base is an ARG the build decides, or it cannot be inspected. scratch is 0 bytes.
 */
const baseImage = async (ctx: DockerContext): Promise<{ name: string; bytes: number } | null> => {
  const analysis = ctx.dockerfile;
  if (!analysis?.ok) return null;
  const root = analysis.stages[finalChain(analysis)[0] ?? analysis.finalStage];
  if (!root || !root.imageKnown || root.fromStage !== null) return null;
  if (root.image === 'scratch') return { name: 'scratch', bytes: 0 };
  const inspected = await ctx.docker.inspectImage(root.image).catch(() => undefined);
  return inspected ? { name: root.image, bytes: inspected.size } : null;
};

/** The chart of the capstone and audit: the learner's first image, this image, its base, and the binary it carries. */
const chartText = (sizeBytes: number, first: number | undefined, binary: number | null, measuredBase: { name: string; bytes: number } | null): Localized => {
  // A base bigger than the image would be another image of that name, pulled since: left out.
  const base = measuredBase && measuredBase.bytes <= sizeBytes ? measuredBase : null;
  const bars = (
    firstLabel: string,
    thisLabel: string,
    baseLabel: string,
    binaryLabel: string,
    smaller: (x: string) => string,
    overhead: (x: string) => string,
  ) =>
    sizeChart([
      ...(first ? [{ label: firstLabel, bytes: first }] : []),
      { label: thisLabel, bytes: sizeBytes, ...(first && first > sizeBytes ? { note: smaller((first / sizeBytes).toFixed(1)) } : {}) },
      ...(base ? [{ label: baseLabel, bytes: base.bytes, note: base.name }] : []),
      ...(binary ? [{ label: binaryLabel, bytes: binary, note: overhead(mb(Math.max(0, sizeBytes - binary - (base?.bytes ?? 0)))) }] : []),
    ]);
  // Without the base, "everything else" is the base and the other layers together.
  const rest = base ? ['the other layers', '其他各层'] : ['everything else', '其余部分'];
  const en = bars(
    'first image',
    'this image',
    'its base',
    'the binary',
    (x) => `${x}x smaller`,
    (x) => `${rest[0]}: ${x}`,
  );
  const zh = bars(
    '第一个镜像',
    '当前镜像',
    '基础镜像',
    '二进制',
    (x) => `小了 ${x} 倍`,
    (x) => `${rest[1]}：${x}`,
  );
  return L(`\nSizes:\n${en}`, `\n大小对比：\n${zh}`);
};

export const imageSize = defineCheck({
  id: 'image.size',
  kind: 'docker',
  title: L('The image is small', '镜像足够小'),
  params: s.object({
    maxMB: s.number().positive(),
    /** Add a chart: your first image, this image and the binary inside it. */
    chart: s.boolean().default(false),
  }),
  measure: async (ctx, params) => {
    const { id, image } = await lessonImage(ctx);
    // The binary's size too, where the verdict uses it: the chart, and an image over budget (when
    // the binary is most of it, the binary is what to shrink). Under budget without a chart it would
    // cost three docker calls for nothing.
    // The base image's command (a build stage's bash) is not the learner's binary: no bar for it.
    const needBinary = (params.chart || image.size > params.maxMB * 1e6) && setsOwnCommand(ctx.dockerfile);
    return {
      sizeBytes: image.size,
      binaryBytes: needBinary ? await binaryBytes(ctx, id, image) : null,
      ...(params.chart ? { base: await baseImage(ctx) } : {}),
    };
  },
  judge: (m, params, ctx) => {
    const budget = params.maxMB * 1e6;
    const firstRaw = ctx.history['image.size']?.firstImageBytes;
    const first = typeof firstRaw === 'number' && firstRaw > 0 ? firstRaw : undefined;
    const measured = {
      sizeBytes: m.sizeBytes,
      budgetBytes: budget,
      firstImageBytes: first ?? m.sizeBytes,
      ...(params.chart || m.binaryBytes ? { binaryBytes: m.binaryBytes } : {}),
      ...(m.base ? { baseBytes: m.base.bytes } : {}),
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
    const chart = params.chart ? chartText(m.sizeBytes, first, m.binaryBytes, m.base ?? null) : undefined;
    if (m.sizeBytes <= budget) return pass(join(measure, ratio, chart), measured);
    const facts = ctx.dockerfile?.ok ? ctx.dockerfile.facts : undefined;
    const binary = m.binaryBytes ?? 0;
    const hint =
      binary > 0 && m.sizeBytes - binary < binary
        ? L(
            `The binary alone is ${mb(binary)}; everything else is ${mb(m.sizeBytes - binary)}. Build it with -ldflags="-s -w" (no symbol table, no debug data) and -trimpath: a Go binary loses about a third.`,
            `仅二进制就有 ${mb(binary)}，其余部分只有 ${mb(m.sizeBytes - binary)}。请用 -ldflags="-s -w"（去掉符号表和调试信息）和 -trimpath 构建：Go 二进制能小三分之一左右。`,
          )
        : facts && facts.stages < 2
          ? L(
              `It is a single-stage build on ${facts.finalBase}: everything the base and the build put in (${/golang/.test(facts.finalBase) ? 'the Go toolchain, sources, module cache' : 'a whole Linux distribution'}) ships in the image. Build in a build stage and COPY --from only the binary into scratch or distroless.`,
              `这是基于 ${facts.finalBase} 的单阶段构建：基础镜像和构建过程放进去的一切（${/golang/.test(facts.finalBase) ? 'Go 工具链、源码、模块缓存' : '一整套 Linux 发行版'}）都进了镜像。请在单独的构建阶段里构建，再用 COPY --from 只把二进制复制到 scratch 或 distroless。`,
            )
          : L(
              `The final stage is based on ${facts?.finalBase ?? 'a large image'}; a static Go binary needs no distribution or C library: use scratch or gcr.io/distroless/static-debian13 and copy only the binary into it.`,
              `最终阶段基于 ${facts?.finalBase ?? '一个较大的镜像'}；静态 Go 二进制既不需要发行版也不需要 C 库：请使用 scratch 或 gcr.io/distroless/static-debian13，只把二进制复制进去。`,
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
  params: s.object({
    /**
     * Also require a numeric uid (65532 or 65532:65532): Kubernetes runAsNonRoot can only verify
     * a number, and a name needs /etc/passwd, which scratch lacks.
     */
    numeric: s.boolean().default(false),
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

const labelsParams = s
  .object({
    /** Labels that must be present and non-empty (a URL, a title: any value the learner chooses). */
    keys: s.array(s.string().min(1)).default([]),
    /**
     * Labels that must carry a build arg's value, label -> arg: the image is built with unpredictable
     * values for those args and each label must equal its arg's value (not empty, not hard-coded).
     */
    fromBuildArgs: s.record(s.string().min(1), s.string().min(1)).default({}),
  })
  .refine((p) => p.keys.length > 0 || Object.keys(p.fromBuildArgs).length > 0, 'keys or fromBuildArgs must name a label');

export const imageLabels = defineCheck({
  id: 'image.labels',
  kind: 'docker',
  buildsLessonImage: false,
  title: L('The image has the expected labels', '镜像带有要求的标签'),
  params: labelsParams,
  measure: async (ctx, params) => {
    const args = [...new Set(Object.values(params.fromBuildArgs))];
    if (args.length === 0) return { labels: (await lessonImage(ctx)).image.labels, buildArgs: {} };
    // Index 0: the same values build.version-arg uses first, so both checks share one build.
    const text = (await ctx.files.read(ctx.dockerfilePath)) ?? '';
    const buildArgs = Object.fromEntries(args.map((arg) => [arg, probeValue(text, arg, 0)]));
    return { labels: (await lessonImage(ctx, buildArgs)).image.labels, buildArgs };
  },
  judge: (m, params, ctx) => {
    const analysis = ctx.dockerfile?.ok ? ctx.dockerfile : undefined;
    const labelLine = (key: string) =>
      analysis?.instructions.filter((i) => i.stage === analysis.finalStage && i.keyword.toUpperCase() === 'LABEL' && i.args.includes(key)).pop()?.line;
    const argInFinal = (arg: string) => analysis?.env.some((e) => e.kind === 'ARG' && e.stage === analysis.finalStage && e.name === arg);
    const built = Object.entries(m.buildArgs)
      .map(([arg, value]) => `${arg}=${value}`)
      .join(' ');
    // "Built with --build-arg VERSION=2.41.7: labels ..." or, with no build args, "Labels ...".
    const lead = (en: string, zh: string) =>
      built ? L(`Built with --build-arg ${built}: ${en}`, `使用 --build-arg ${built} 构建：${zh}`) : L(en.charAt(0).toUpperCase() + en.slice(1), zh);
    const builtWith = built ? L(`Built with --build-arg ${built}: `, `使用 --build-arg ${built} 构建：`) : L('', '');
    const wanted = [...Object.keys(params.fromBuildArgs), ...params.keys.filter((k) => !(k in params.fromBuildArgs))];
    const missing = wanted.filter((key) => m.labels[key] === undefined);
    if (missing.length) {
      return fail(
        lead(
          `missing labels in the image config: ${missing.join(', ')}. Add them with LABEL in the final stage.`,
          `镜像配置中缺少标签：${missing.join(', ')}。请在最终阶段用 LABEL 添加。`,
        ),
        { missing: missing.join(',') },
      );
    }
    for (const [key, arg] of Object.entries(params.fromBuildArgs)) {
      const got = m.labels[key] ?? '';
      const want = m.buildArgs[arg] ?? '';
      if (got === want) continue;
      const line = labelLine(key);
      const why =
        got === ''
          ? argInFinal(arg)
            ? L(
                `${key} is empty although ARG ${arg} is declared in the final stage: use it in the label, LABEL ${key}="\${${arg}}".`,
                `虽然最终阶段声明了 ARG ${arg}，${key} 仍然是空的：请在标签中使用它，LABEL ${key}="\${${arg}}"。`,
              )
            : L(
                `${key} is empty: \${${arg}} expands to nothing in the final stage, because every FROM starts a new scope and ARG ${arg} is not declared after the final FROM. Add ARG ${arg} there (with a default), before the LABEL.`,
                `${key} 是空的：每个 FROM 都会开启新的作用域，最终阶段的 FROM 之后没有声明 ARG ${arg}，所以 \${${arg}} 在那里展开为空。请在那里（LABEL 之前）添加 ARG ${arg}（并给一个默认值）。`,
              )
          : L(
              `${key} is "${got}", not the value of --build-arg ${arg}: the label is hard-coded or comes from something else. Write LABEL ${key}="\${${arg}}" with ARG ${arg} declared in the final stage.`,
              `${key} 是 "${got}"，而不是 --build-arg ${arg} 的值：标签是写死的，或者来自别处。请在最终阶段声明 ARG ${arg}，并写 LABEL ${key}="\${${arg}}"。`,
            );
      return fail(join(builtWith, why), { label: key, value: got }, line);
    }
    const empty = params.keys.filter((key) => (m.labels[key] ?? '').trim() === '');
    if (empty.length) {
      const key = empty[0] ?? '';
      return fail(
        lead(
          `label ${empty.join(', ')} ${empty.length > 1 ? 'are' : 'is'} empty in the image config. A label set from an ARG that the final stage does not declare (or declares without a value) is empty: give it a value, e.g. an ARG with a default declared after the final FROM.`,
          `镜像配置中的标签 ${empty.join(', ')} 是空的。如果标签的值来自最终阶段没有声明（或声明了却没有值）的 ARG，它就是空的：请给它一个值，例如在最终 FROM 之后声明一个带默认值的 ARG。`,
        ),
        { empty: empty.join(',') },
        labelLine(key),
      );
    }
    const shown = wanted.map((key) => `${key}=${m.labels[key] ?? ''}`).join(', ');
    const fromArgs = Object.keys(params.fromBuildArgs).length
      ? L(
          ` (${Object.entries(params.fromBuildArgs)
            .map(([key, arg]) => `${key} from ${arg}`)
            .join(', ')})`,
          `（${Object.entries(params.fromBuildArgs)
            .map(([key, arg]) => `${key} 来自 ${arg}`)
            .join('，')}）`,
        )
      : L('', '');
    return pass(lead(`labels ${shown}${fromArgs.en}.`, `标签 ${shown}${fromArgs['zh-CN']}。`), { labels: wanted.length });
  },
});

export const imageEnv = defineCheck({
  id: 'image.env',
  kind: 'docker',
  title: L('The image sets the environment default', '镜像设置了环境变量默认值'),
  params: s.object({ name: s.string().min(1), value: s.string().optional() }),
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
