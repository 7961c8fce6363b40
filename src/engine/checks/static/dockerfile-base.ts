import { s, type Infer } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { isScratch, normalizeImage, parseImageRef, repoDigestCommand, repositoryName } from '../../dockerfile/image-ref.js';
import type { DockerfileAnalysis } from '../../dockerfile/types.js';
import { failWith, findingOf, noParams, withDockerfile } from './common.js';
import { atLine, count, outcome } from '../outcome.js';
import { defineCheck } from '../define.js';
import type { CheckOutcome } from '../types.js';

export const dockerfileExists = defineCheck({
  id: 'dockerfile.exists',
  kind: 'static',
  title: L('The Dockerfile exists and parses', 'Dockerfile 存在且能被解析'),
  params: noParams,
  run: (ctx) => {
    const analysis = ctx.dockerfile;
    if (!analysis) {
      return outcome(
        'fail',
        L(`${ctx.dockerfilePath} does not exist. Create it in the workspace folder.`, `${ctx.dockerfilePath} 不存在。请在工作区目录中创建它。`),
      );
    }
    if (!analysis.ok) {
      const error = analysis.parseError?.message ?? L('it does not parse.', '无法解析。');
      return outcome('fail', L(`${ctx.dockerfilePath} does not parse. ${error.en}`, `${ctx.dockerfilePath} 无法解析。${error['zh-CN']}`), {
        line: analysis.parseError?.line,
      });
    }
    const { stages, finalBase } = analysis.facts;
    return outcome(
      'pass',
      L(
        `${ctx.dockerfilePath} parses: ${count(stages, 'stage')}, final base ${finalBase}.`,
        `${ctx.dockerfilePath} 解析成功：${stages} 个阶段，最终基础镜像 ${finalBase}。`,
      ),
      {
        measured: { stages },
      },
    );
  },
});

export const dockerfileBasePinned = defineCheck({
  id: 'dockerfile.base-pinned',
  kind: 'static',
  title: L('Base images are pinned to a version', '基础镜像固定了版本'),
  params: noParams,
  run: (ctx) =>
    withDockerfile(ctx, (analysis) => {
      const external = analysis.stages.filter((s) => s.pinned !== null);
      const loose = findingOf(analysis, ['from-undeclared-arg', 'base-not-pinned']);
      if (loose) return failWith(loose);
      const fromArg = external.find((s) => s.pinned === 'arg');
      if (fromArg) {
        return outcome(
          'unknown',
          atLine(
            fromArg.line,
            `FROM ${fromArg.imageRaw} takes its tag from an ARG without a default, so only the build knows the version. Give the ARG a default (ARG GO_VERSION=1.26); the image checks decide meanwhile.`,
            `FROM ${fromArg.imageRaw} 的标签来自没有默认值的 ARG，只有构建时才知道版本。请给 ARG 设置默认值（ARG GO_VERSION=1.26）；在此之前由镜像检查来判断。`,
          ),
          { line: fromArg.line },
        );
      }
      const list = external.map((s) => s.image).join(', ');
      return outcome('pass', L(`Every base image is pinned to a version: ${list}.`, `所有基础镜像都固定了版本：${list}。`));
    }),
});

/** A digest shortened for a list: the algorithm and 12 hex characters, as Docker shows image ids. */
const shortDigest = (image: string): string => image.replace(/@(sha\d+:[0-9a-f]{12})[0-9a-f]+$/, '@$1…');

/** How to read a tag's digest: the index digest (every platform), or the one a pull recorded. */
const howToGetDigest = (ref: string): { en: string; zh: string } => ({
  en: `docker buildx imagetools inspect ${ref} prints it (the index digest, the same for every platform); or docker pull ${ref}, then ${repoDigestCommand(ref)}`,
  zh: `docker buildx imagetools inspect ${ref} 会打印它（索引摘要，所有平台都相同）；或者先 docker pull ${ref}，再运行 ${repoDigestCommand(ref)}`,
});

/** A variable in a FROM line (`$NAME`, `${NAME}`, `${NAME:-default}`), with its name. */
const VARIABLE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/;

/**
 * A FROM that takes part of its image from a build argument and carries a digest: the digest picks
 * the image whatever the argument says, and neither update bot rewrites a FROM with a variable in it.
 */
const variableWithDigest = (line: number, raw: string, expanded: string | null): CheckOutcome => {
  const names = [...new Set([...raw.matchAll(new RegExp(VARIABLE, 'g'))].map((m) => m[1] ?? ''))];
  const list = names.join(', ');
  const first = names[0] ?? 'NAME';
  const at = raw.indexOf('@');
  // The digest written out and the variable before it (golang:${GO_VERSION}-trixie@sha256:...): the build argument changes nothing.
  const digestDecides = at >= 0 && !VARIABLE.test(raw.slice(at));
  const named = expanded ? expanded.replace(/@.*$/, '') : null;
  const pulled = named ? `${named} (the image of this digest)` : 'the image of this digest';
  const pulledZh = named ? `${named}（这个摘要对应的镜像）` : '这个摘要对应的镜像';
  const written = expanded ? `FROM ${expanded}` : 'FROM <image>:<tag>@sha256:<digest>';
  const bots = {
    en: 'and Dependabot and Renovate cannot update a FROM line with a variable in it, so this digest would never move to a fixed image.',
    zh: '而且 Dependabot 和 Renovate 都无法更新带变量的 FROM 行，这个摘要永远不会换成修复过的镜像。',
  };
  const what = digestDecides
    ? {
        en: `FROM ${raw} takes part of its name from ${list}, but the digest decides which image is pulled: --build-arg ${first}=<another value> would still build ${pulled}, without a word; ${bots.en}`,
        zh: `FROM ${raw} 的名字有一部分来自 ${list}，但决定拉取哪个镜像的是摘要：--build-arg ${first}=<别的值> 构建出来的仍然是 ${pulledZh}，而且没有任何提示；${bots.zh}`,
      }
    : {
        en: `FROM ${raw} takes the digest from ${list}, so the line does not say which image it builds, ${bots.en}`,
        zh: `FROM ${raw} 的摘要来自 ${list}，这一行本身说不出构建的是哪个镜像，${bots.zh}`,
      };
  return outcome(
    'fail',
    atLine(
      line,
      `${what.en} Write the tag and digest out in the FROM line: ${written}${names.length === 1 ? ` (and drop ARG ${first} if nothing else uses it)` : ''}.`,
      `${what.zh}请在 FROM 行里直接写出标签和摘要：${written}${names.length === 1 ? `（如果没有别处用到 ARG ${first}，就删掉它）` : ''}。`,
    ),
    { line },
  );
};

export const dockerfileBaseDigest = defineCheck({
  id: 'dockerfile.base-digest',
  kind: 'static',
  title: L('Base images are pinned by tag and digest', '基础镜像同时固定了标签和摘要'),
  params: noParams,
  run: (ctx) =>
    withDockerfile(ctx, (analysis) => {
      // A FROM that stops the build (an empty ARG, a digest Docker refuses) says so in lint's words.
      const broken = findingOf(analysis, ['from-undeclared-arg', 'base-digest-invalid']);
      if (broken) return failWith(broken);
      const external = analysis.stages.filter((st) => st.fromStage === null && !(st.imageKnown && isScratch(st.image)));
      const variable = external.find(
        (st) => VARIABLE.test(st.imageRaw) && (st.imageKnown ? parseImageRef(st.image).digest !== null : st.imageRaw.includes('@')),
      );
      if (variable) return variableWithDigest(variable.line, variable.imageRaw, variable.imageKnown ? variable.image : null);
      const loose = external
        .filter((st) => st.imageKnown)
        .map((st) => ({ stage: st, ref: parseImageRef(st.image) }))
        .filter(({ ref }) => ref.digest === null || !ref.tag);
      const first = loose[0];
      if (first) {
        const { stage, ref } = first;
        const repo = repositoryName(ref);
        const others = loose.slice(1).map((l) => `line ${l.stage.line} (${l.stage.image})`);
        const othersZh = loose.slice(1).map((l) => `第 ${l.stage.line} 行（${l.stage.image}）`);
        const also = others.length > 0 ? L(` Same for ${others.join(', ')}.`, `${othersZh.join('、')}也一样。`) : L('', '');
        if (ref.digest !== null) {
          return outcome(
            'fail',
            atLine(
              stage.line,
              `FROM ${stage.image} pins the bytes but not what they are: with the digest alone, neither a reader nor Dependabot or Renovate can tell which version it is, so nobody can update it. Keep the tag beside the digest: ${repo}:<tag>@${ref.digest}.${also.en}`,
              `FROM ${stage.image} 固定了镜像内容，却没写明它是什么：只有摘要时，读代码的人和 Dependabot、Renovate 都看不出这是哪个版本，也就没法更新它。请把标签和摘要写在一起：${repo}:<标签>@${ref.digest}。${also['zh-CN']}`,
            ),
            { line: stage.line },
          );
        }
        const tagged = `${repo}:${ref.tag ?? '<tag>'}`;
        const how = howToGetDigest(ref.tag ? tagged : `${repo}:<tag>`);
        const what = ref.tag
          ? L(
              `FROM ${stage.image} has a tag but no digest, and a tag is pushed again with every rebuild of the image, so the same line can pull other bytes tomorrow.`,
              `FROM ${stage.image} 有标签但没有摘要，而镜像每次重新构建都会重新推送同一个标签，所以同一行明天可能拉到不同的内容。`,
            )
          : L(
              `FROM ${stage.image} has neither a tag nor a digest, so it pulls whatever ${repo}:latest is that day.`,
              `FROM ${stage.image} 既没有标签也没有摘要，拉到的是当天的 ${repo}:latest。`,
            );
        return outcome(
          'fail',
          atLine(
            stage.line,
            `${what.en} Add the digest after the tag: ${tagged}@sha256:<digest>; ${how.en}.${also.en}`,
            `${what['zh-CN']}请在标签后面加上摘要：${tagged}@sha256:<摘要>；${how.zh}。${also['zh-CN']}`,
          ),
          { line: stage.line },
        );
      }
      const fromArg = external.find((st) => !st.imageKnown);
      if (fromArg) {
        return outcome(
          'unknown',
          atLine(
            fromArg.line,
            `FROM ${fromArg.imageRaw} takes its image from an ARG without a default, so only the build knows whether it carries a digest. Give the ARG a default with the tag and digest.`,
            `FROM ${fromArg.imageRaw} 的镜像来自没有默认值的 ARG，只有构建时才知道它带不带摘要。请给这个 ARG 设置带标签和摘要的默认值。`,
          ),
          { line: fromArg.line },
        );
      }
      const list = external.map((st) => shortDigest(st.image)).join(', ');
      if (!list)
        return outcome(
          'pass',
          L('Every stage starts FROM scratch or an earlier stage: no base image to pin.', '所有阶段都从 scratch 或前面的阶段开始：没有需要固定的基础镜像。'),
        );
      return outcome('pass', L(`Every base image is pinned by tag and digest: ${list}.`, `所有基础镜像都同时固定了标签和摘要：${list}。`));
    }),
});

/** Resolves a --from value of the final stage to an earlier stage index, or null. */
const earlierStage = (analysis: DockerfileAnalysis, value: string): number | null => {
  const final = analysis.finalStage;
  if (/^\d+$/.test(value)) return Number(value) < final ? Number(value) : null;
  const found = analysis.stages.find((s) => s.index < final && s.name === value.toLowerCase());
  return found ? found.index : null;
};

export const dockerfileMultiStage = defineCheck({
  id: 'dockerfile.multi-stage',
  kind: 'static',
  title: L('Multi-stage build: the final image copies from a build stage', '多阶段构建：最终镜像从构建阶段复制产物'),
  params: noParams,
  run: (ctx) =>
    withDockerfile(ctx, (analysis) => {
      const finalStage = analysis.stages[analysis.finalStage];
      if (analysis.stages.length < 2 || !finalStage) {
        return outcome(
          'fail',
          L(
            'There is only one stage, so the compiler and the source end up in the image. Build in a first stage (FROM golang:1.26 AS build) and COPY --from=build only the binary into a small final stage.',
            '只有一个阶段，编译器和源代码都会进入镜像。请在第一个阶段构建（FROM golang:1.26 AS build），再用 COPY --from=build 只把二进制复制到精简的最终阶段。',
          ),
        );
      }
      const copies = analysis.instructions.filter((i) => i.stage === analysis.finalStage && i.keyword === 'COPY');
      const froms = copies.flatMap((i) => i.flags.filter((f) => f.name === 'from').map((f) => ({ line: i.line, value: f.value ?? '' })));
      const good = froms.find((f) => earlierStage(analysis, f.value) !== null);
      if (good) {
        return outcome(
          'pass',
          atLine(
            good.line,
            `the final stage copies from stage "${good.value}" (${analysis.stages.length} stages).`,
            `最终阶段从阶段 "${good.value}" 复制产物（共 ${analysis.stages.length} 个阶段）。`,
          ),
          {
            line: good.line,
            measured: { stages: analysis.stages.length },
          },
        );
      }
      if (froms.some((f) => f.value.includes('$'))) {
        return outcome(
          'unknown',
          L('The final stage copies --from a stage named by an ARG; the image checks decide.', '最终阶段的 --from 使用了 ARG；由镜像检查来判断。'),
        );
      }
      const bad = froms[0];
      return outcome(
        'fail',
        bad
          ? atLine(
              bad.line,
              `--from=${bad.value} is not an earlier stage of this Dockerfile. Use the AS name of the build stage, e.g. --from=build.`,
              `--from=${bad.value} 不是本 Dockerfile 中前面的阶段。请使用构建阶段的 AS 名称，例如 --from=build。`,
            )
          : atLine(
              finalStage.line,
              'the final stage does not COPY --from an earlier stage. Copy the built binary: COPY --from=build /out/server /server.',
              '最终阶段没有用 COPY --from 从前面的阶段复制。请复制构建出的二进制：COPY --from=build /out/server /server。',
            ),
        { line: bad?.line ?? finalStage.line },
      );
    }),
});

const globToRegex = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );

export const finalBaseParams = s.object({ allow: s.array(s.string().min(1)).min(1) }).strict();

export const dockerfileFinalBase = defineCheck({
  id: 'dockerfile.final-base',
  kind: 'static',
  title: L('The final image uses a small base', '最终镜像使用精简的基础镜像'),
  params: finalBaseParams,
  run: (ctx, params: Infer<typeof finalBaseParams>) =>
    withDockerfile(ctx, (analysis) => {
      const base = analysis.facts.finalBase;
      const line = analysis.stages[analysis.finalStage]?.line;
      const allowed = params.allow.join(', ');
      if (analysis.facts.finalBasePinned === 'arg') {
        return outcome(
          'unknown',
          atLine(
            line,
            `the final base "${base}" comes from an ARG without a default; the image checks decide.`,
            `最终基础镜像 "${base}" 来自没有默认值的 ARG；由镜像检查来判断。`,
          ),
          { line },
        );
      }
      const candidates = [base, normalizeImage(base), normalizeImage(base).replace(/@.*$/, '')];
      const match = params.allow.find((glob) => candidates.some((c) => globToRegex(glob).test(c)));
      if (match) {
        return outcome('pass', atLine(line, `the final base is ${base} (allowed: ${match}).`, `最终基础镜像是 ${base}（允许：${match}）。`), {
          line,
          measured: { finalBase: base },
        });
      }
      return outcome(
        'fail',
        atLine(
          line,
          `the final stage is FROM ${base}; this lesson asks for one of: ${allowed}. Change the last FROM.`,
          `最终阶段是 FROM ${base}；本课要求使用以下之一：${allowed}。请修改最后一个 FROM。`,
        ),
        { line, measured: { finalBase: base } },
      );
    }),
});
