import { DIGEST_HEX_LENGTH, isDigest, parseImageRef, pinProblem, repoDigestCommand, repositoryName, type ImageRef, type PinProblem } from '../image-ref.js';
import type { Finding } from '../types.js';
import { finding, type FindingContext } from './finding-context.js';

/** A version to show in examples, for images learners meet (the course builds on Go 1.26 and Debian 13). */
const EXAMPLE_VERSION: Record<string, string> = {
  golang: '1.26',
  alpine: '3.20',
  debian: '13',
  ubuntu: '24.04',
  python: '3.13',
  node: '22',
  postgres: '17',
  nginx: '1.27',
  rust: '1.85',
};
/** Debian suite names that move to the next release: in a suggestion they give way to a version. */
const DEBIAN_SUITES = new Set(['stable', 'oldstable', 'oldoldstable', 'testing', 'unstable', 'sid', 'experimental']);

/** A pinned reference to suggest: golang:trixie -> golang:1.26-trixie, golang:1 -> golang:1.26, debian:stable-slim -> debian:13-slim. */
const pinnedExample = (ref: ImageRef, problem: PinProblem): string => {
  const repo = repositoryName(ref);
  if (problem === 'unversioned-repository') return `${repo}-debian13${ref.tag ? `:${ref.tag}` : ''}`;
  const tag = (ref.tag ?? '').toLowerCase();
  const parts = tag.split('-');
  if (ref.repository === 'debian' && problem === 'no-version' && DEBIAN_SUITES.has(parts[0] ?? '')) {
    return `debian:${[EXAMPLE_VERSION.debian, ...parts.slice(1)].join('-')}`;
  }
  const version = EXAMPLE_VERSION[ref.repository] ?? '<version>';
  const variant = problem === 'no-version' ? parts : problem === 'major-only' ? parts.slice(1) : [];
  return `${repo}:${[version, ...variant].join('-')}`;
};

const notPinned = (text: string, problem: PinProblem, line: number): Finding => {
  const ref = parseImageRef(text);
  const repo = repositoryName(ref);
  const tag = ref.tag ?? '';
  const major = tag.split('-')[0] ?? tag;
  const what: Record<PinProblem, [string, string]> = {
    'no-tag': [`has no tag, so it means ${repo}:latest, which moves to every new release`, `没有标签，等同于 ${repo}:latest，每次发布新版本都会变`],
    latest: ['uses the "latest" tag, which moves to every new release', '使用了 "latest" 标签，每次发布新版本都会变'],
    'no-version': [
      `has the tag "${tag}", a variant name without a version, which moves to every new ${repo} release`,
      `的标签 "${tag}" 只是变体名，不含版本号，${repo} 每发布新版本都会跟着变`,
    ],
    'major-only': [
      `has the tag "${tag}", which names only the major version and moves to every ${major}.x release`,
      `的标签 "${tag}" 只写了主版本号，会跟着每个 ${major}.x 版本变`,
    ],
    'unversioned-repository': [
      'follows whichever Debian release is current (its repository does not name one) and moves to the next',
      '跟随当前的 Debian 版本（仓库名里没有写明），Debian 发布新版本时就会跟着变',
    ],
  };
  const example = pinnedExample(ref, problem);
  const [en, zh] = what[problem];
  return finding(
    'base-not-pinned',
    'warning',
    line,
    `FROM ${text} ${en}, so the same Dockerfile builds a different image later: builds are not reproducible. Pin a version you chose, e.g. ${example}, or a digest (${repo}@sha256:...).`,
    `FROM ${text} ${zh}，所以同一个 Dockerfile 以后会构建出不同的镜像，构建不可复现。请固定一个你选定的版本，例如 ${example}，或者固定摘要（${repo}@sha256:...）。`,
  );
};

/** How far off the hex part of a digest is, when only its length is wrong: a copy cut short, a character too many. */
const lengthProblem = (digest: string): { en: string; zh: string } | null => {
  const m = /^(?:(sha256|sha384|sha512):)?([0-9a-fA-F]+)$/.exec(digest);
  if (!m) return null;
  const wanted = DIGEST_HEX_LENGTH[m[1] ?? 'sha256'] ?? 64;
  const has = (m[2] ?? '').length;
  if (has === wanted) return null;
  return has < wanted
    ? { en: `, ${has} of the ${wanted} hex characters`, zh: `（${wanted} 个十六进制字符只有 ${has} 个）` }
    : { en: `, ${has} hex characters where a digest has ${wanted}`, zh: `（有 ${has} 个十六进制字符，而摘要只有 ${wanted} 个）` };
};

/** A digest Docker refuses: a short copy, uppercase hex, a placeholder left in. The build stops at this FROM. */
const badDigest = (text: string, digest: string, line: number): Finding => {
  const ref = parseImageRef(text);
  const named = `${repositoryName(ref)}${ref.tag ? `:${ref.tag}` : ''}`;
  // `{{digest}}`, `<digest>`, `${...}` left as written: a template that was never filled in.
  const placeholder = /[{}<>$]/.test(digest);
  const length = placeholder ? null : lengthProblem(digest);
  const what = placeholder ? { en: ', a placeholder left in', zh: '（一个没替换掉的占位符）' } : (length ?? { en: '', zh: '' });
  return finding(
    'base-digest-invalid',
    'error',
    line,
    `FROM ${text} has "${digest}" where the digest goes${what.en}, and Docker refuses the reference, so the build stops here. A digest is sha256: followed by 64 lowercase hex characters; copy all of it from ${repoDigestCommand(named)} (after docker pull ${named}), or from docker buildx imagetools inspect ${named} where buildx is installed.`,
    `FROM ${text} 在摘要的位置写的是 "${digest}"${what.zh}，Docker 不接受这样的引用，构建会在这里停止。摘要是 sha256: 加上 64 个小写十六进制字符；请从 ${repoDigestCommand(named)} 的输出里完整复制（先 docker pull ${named}），装了 buildx 的话也可以用 docker buildx imagetools inspect ${named}。`,
  );
};

/** Findings about FROM lines: unpinned bases, malformed digests, bases that depend on an unknown ARG, stage name casing. */
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
    } else if (stage.fromStage === null && image.unsetRefs.length === 0) {
      const problem = pinProblem(image.text);
      if (problem) out.push(notPinned(image.text, problem, line));
      const { digest } = parseImageRef(image.text);
      if (digest !== null && !isDigest(digest)) out.push(badDigest(image.text, digest, line));
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
