import type { Finding } from '../types.js';
import { isScratch, parseImageRef } from '../image-ref.js';
import type { Model } from '../model.js';
import { chainInstructions, rootImage } from '../stages.js';
import { userFacts } from '../user.js';
import { finding, type FindingContext } from './finding-context.js';

/** Findings about the user the final image runs as. */
export const userFindings = ({ model, final }: FindingContext): Finding[] => {
  const user = userFacts(model, final);
  const finalLine = model.stages[final]?.line ?? null;
  if (user.source === 'user-line') {
    if (user.isRoot === 'yes') {
      return [
        finding(
          'user-root',
          'warning',
          user.line,
          `USER ${user.user ?? ''} runs the app as root: a bug in the app gives an attacker root inside the container. Use a non-root user, e.g. USER 65532:65532 (distroless "nonroot").`,
          `USER ${user.user ?? ''} 让应用以 root 身份运行：应用中的漏洞会让攻击者在容器内获得 root 权限。请使用非 root 用户，例如 USER 65532:65532（distroless 的 "nonroot"）。`,
        ),
      ];
    }
    if (user.isRoot === 'no') return unresolvableName(model, final, user.user ?? '', user.line);
    if (user.isRoot === 'unknown') {
      return [
        finding(
          'user-unknown',
          'info',
          user.line,
          `USER ${user.user ?? ''} depends on an ARG or ENV whose value only the build knows; the image checks will tell whether it is root.`,
          `USER ${user.user ?? ''} 依赖一个只有构建时才知道值的 ARG 或 ENV；镜像检查会判断它是否为 root。`,
        ),
      ];
    }
  }
  const base = rootImage(model, final).text;
  if (user.isRoot === 'yes') {
    return [
      finding(
        'user-missing',
        'warning',
        finalLine,
        `the final stage has no USER and its base ${base} runs as root (uid 0), so your app runs as root. Add USER 65532:65532 (or a user you create) after the last COPY.`,
        `最终阶段没有 USER，而且基础镜像 ${base} 以 root（uid 0）运行，所以你的应用也以 root 运行。请在最后一个 COPY 之后添加 USER 65532:65532（或你创建的用户）。`,
      ),
    ];
  }
  if (user.isRoot === 'unknown') {
    return [
      finding(
        'user-unknown',
        'info',
        finalLine,
        `the final stage has no USER, so it runs as whatever user the base ${base} sets (often root). Add an explicit USER, e.g. USER 65532:65532.`,
        `最终阶段没有 USER，因此会使用基础镜像 ${base} 设置的用户（通常是 root）。请显式添加 USER，例如 USER 65532:65532。`,
      ),
    ];
  }
  return [];
};

/** User and group names each shell-less base knows without an /etc/passwd of your own. */
const knownNames = (image: string): Set<string> | null => {
  if (isScratch(image)) return new Set();
  const ref = parseImageRef(image);
  if (ref.registry === 'gcr.io' && ref.repository.startsWith('distroless/')) return new Set(['root', 'nonroot', 'nobody']);
  return null;
};

/**
 * A user or group *name* needs /etc/passwd (/etc/group) in the image; scratch has none and
 * distroless knows only root, nonroot and nobody, so the container would fail to start.
 */
const unresolvableName = (model: Model, final: number, user: string, line: number | null): Finding[] => {
  const base = rootImage(model, final);
  const names = base.known ? knownNames(base.text) : null;
  if (!names) return [];
  const copiesPasswd = chainInstructions(model, final).some(
    (i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && /\/etc\/(passwd|group)\b|\/etc\/?(\s|$)/.test(i.args),
  );
  const unknown = user.split(':').filter((part) => part !== '' && !/^\d+$/.test(part) && !names.has(part));
  if (copiesPasswd || unknown.length === 0) return [];
  return [
    finding(
      'user-name-unresolvable',
      'warning',
      line,
      `${base.text} has no entry for "${unknown.join('", "')}" (it has no /etc/passwd of yours), so the container fails to start with "unable to find user". Use a numeric id such as USER 65532:65532.`,
      `${base.text} 中没有 "${unknown.join('"、"')}" 这个用户或组（没有你自己的 /etc/passwd），容器启动时会报 "unable to find user"。请使用数字 ID，例如 USER 65532:65532。`,
    ),
  ];
};
