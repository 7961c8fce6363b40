import { isPinned, isScratch, parseImageRef } from '../image-ref.js';
import type { Finding } from '../types.js';
import { finding, type FindingContext } from './finding-context.js';

/** Findings about FROM lines: unpinned bases, bases that depend on an unknown ARG, stage name casing. */
export const baseFindings = ({ model }: FindingContext): Finding[] => {
  const out: Finding[] = [];
  for (const stage of model.stages) {
    const { image, line } = stage;
    if (image.unsetRefs.length > 0) {
      const names = image.unsetRefs.join(', ');
      out.push(
        finding(
          'from-undeclared-arg',
          'error',
          line,
          `FROM uses ${names}, which no ARG before the first FROM declares, so it expands to an empty string ("${image.text}"). Declare it before the first FROM, e.g. ARG ${image.unsetRefs[0] ?? 'NAME'}=<default>.`,
          `FROM 使用了 ${names}，但第一个 FROM 之前没有 ARG 声明它，所以它会展开为空字符串（"${image.text}"）。请在第一个 FROM 之前声明，例如 ARG ${image.unsetRefs[0] ?? 'NAME'}=<默认值>。`,
        ),
      );
    }
    if (stage.fromStage === null && !image.known) {
      out.push(
        finding(
          'base-arg-unknown',
          'info',
          line,
          `the base image "${stage.imageRaw}" comes from an ARG without a default, so only the build knows which image (and tag) is used. Give the ARG a default, e.g. ARG GO_VERSION=1.26.`,
          `基础镜像 "${stage.imageRaw}" 来自一个没有默认值的 ARG，只有构建时才知道用的是哪个镜像（和标签）。请给这个 ARG 一个默认值，例如 ARG GO_VERSION=1.26。`,
        ),
      );
    } else if (stage.fromStage === null && image.unsetRefs.length === 0 && !isScratch(image.text) && !isPinned(image.text)) {
      const ref = parseImageRef(image.text);
      const repo = ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
      const what = ref.tag === null ? `has no tag, so it means ${repo}:latest` : `uses the "latest" tag`;
      const whatZh = ref.tag === null ? `没有标签，等同于 ${repo}:latest` : `使用了 "latest" 标签`;
      out.push(
        finding(
          'base-latest',
          'warning',
          line,
          `FROM ${image.text} ${what}, which changes whenever a new version is pushed: builds are not reproducible. Pin a version tag (e.g. ${repo}:<version>) or a digest.`,
          `FROM ${image.text} ${whatZh}，每次发布新版本都会变化，构建不可复现。请固定一个版本标签（例如 ${repo}:<版本>）或摘要（digest）。`,
        ),
      );
    }
    if (stage.nameRaw !== null && stage.nameRaw !== stage.name) {
      out.push(
        finding(
          'stage-name-casing',
          'info',
          line,
          `the stage name "${stage.nameRaw}" is used as "${stage.name}" (stage names are lower-cased). Write AS ${stage.name ?? ''} to avoid confusion.`,
          `阶段名 "${stage.nameRaw}" 实际按 "${stage.name}" 使用（阶段名会被转成小写）。请写成 AS ${stage.name ?? ''}，避免混淆。`,
        ),
      );
    }
  }
  return out;
};
