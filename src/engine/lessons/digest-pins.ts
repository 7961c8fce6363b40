import { L, type Lang } from '../i18n.js';
import { UserError } from '../errors.js';
import { repoDigestCommand } from '../dockerfile/image-ref.js';

/**
 * Digests in a lesson's files. A lesson that pins base images by digest cannot ship the digest:
 * each machine has its own (Docker Hub's images on a learner's laptop, stand-ins built offline in
 * CI), and a build resolves a digest only when this engine has it. So its solution and proof cases
 * write `{{digest golang:1.26-trixie}}` where the digest goes (`FROM golang:1.26-trixie@{{digest
 * golang:1.26-trixie}}`), and the file is given the digest this engine recorded for that image when
 * it is applied or shown.
 */
const MARK = /\{\{digest ([^\s{}]+)\}\}/g;

/** The images whose digests a file's text asks for, in order, each once. */
export const digestRefs = (text: string): string[] => [...new Set([...text.matchAll(MARK)].map((m) => m[1] ?? ''))];

/** The text without its digest marks: `golang:1.26-trixie@{{digest …}}` reads as the tag it pins. */
export const withoutDigestMarks = (text: string): string => text.replace(new RegExp(`@${MARK.source}`, 'g'), '');

/** Looks up this engine's digest (`sha256:…`) of each image; an image with none is left out. */
export type DigestLookup = (refs: readonly string[]) => Promise<ReadonlyMap<string, string>>;

/** How to get a digest here, for a learner whose engine has none yet. */
const howToGet = (ref: string): { en: string; zh: string } => ({
  en: `docker pull ${ref}, then ${repoDigestCommand(ref)}`,
  zh: `先 docker pull ${ref}，再运行 ${repoDigestCommand(ref)}`,
});

/**
 * Fills a file to write into the workspace. An image without a digest here is a UserError: a
 * Dockerfile with a made-up digest would only fail to build.
 */
export const fillForApply = (text: string, digests: ReadonlyMap<string, string>): string => {
  const missing = digestRefs(text).filter((ref) => !digests.has(ref));
  if (missing.length) {
    const ref = missing[0] ?? '';
    const how = howToGet(ref);
    throw new UserError(
      L(
        `The solution pins ${missing.join(', ')} by digest, and this Docker has no digest for ${missing.length === 1 ? 'it' : 'them'} (an image built here or loaded from an archive has none).`,
        `答案用摘要固定了 ${missing.join('、')}，而这台机器的 Docker 没有它的摘要（在本机构建或从归档导入的镜像都没有摘要）。`,
      ),
      { next: L(`Record one with ${how.en}, and apply again.`, `${how.zh}，记下摘要后再应用一次。`) },
    );
  }
  return text.replace(MARK, (_, ref: string) => digests.get(ref) ?? '');
};

/**
 * Fills a file to show: an image without a digest here keeps a readable placeholder, with a comment
 * above its first line saying how to get the digest.
 */
export const fillForShow = (text: string, digests: ReadonlyMap<string, string>, lang: Lang): string => {
  const explained = new Set<string>();
  return text
    .split('\n')
    .map((line) => {
      const missing = digestRefs(line).filter((ref) => !digests.has(ref) && !explained.has(ref));
      const filled = line.replace(MARK, (_, ref: string) => digests.get(ref) ?? `sha256:<${lang === 'zh-CN' ? `${ref} 的摘要` : `digest of ${ref}`}>`);
      const notes = missing.map((ref) => {
        explained.add(ref);
        const how = howToGet(ref);
        return lang === 'zh-CN' ? `# 这台机器还没有 ${ref} 的摘要：${how.zh}` : `# This machine has no digest of ${ref} yet: ${how.en}`;
      });
      return [...notes, filled].join('\n');
    })
    .join('\n');
};
