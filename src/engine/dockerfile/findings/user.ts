import type { Finding } from '../types.js';
import { rootImage } from '../stages.js';
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
    return [];
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
        'user-missing',
        'info',
        finalLine,
        `the final stage has no USER, so it runs as whatever user the base ${base} sets (often root). Add an explicit USER, e.g. USER 65532:65532.`,
        `最终阶段没有 USER，因此会使用基础镜像 ${base} 设置的用户（通常是 root）。请显式添加 USER，例如 USER 65532:65532。`,
      ),
    ];
  }
  return [];
};
