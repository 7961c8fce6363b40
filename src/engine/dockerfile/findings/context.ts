import { matchIgnore, parseDockerignore } from '../dockerignore.js';
import type { Finding } from '../types.js';
import { finding, type FindingContext } from './finding-context.js';

/** .dockerignore findings, only when the caller looked for the file (options.dockerignore defined). */
export const contextFindings = ({ options }: FindingContext): Finding[] => {
  if (options.dockerignore === undefined) return [];
  if (options.dockerignore === null) {
    return [
      finding(
        'no-dockerignore',
        'warning',
        null,
        'there is no .dockerignore, so the whole folder (.git, local binaries, editor files) is sent to the builder and a change to any of them busts the COPY cache. Add a .dockerignore that lists at least .git.',
        '没有 .dockerignore，整个目录（.git、本地二进制文件、编辑器文件）都会发送给构建器，其中任何一个变化都会让 COPY 缓存失效。请添加 .dockerignore，至少写上 .git。',
      ),
    ];
  }
  const verdict = matchIgnore(parseDockerignore(options.dockerignore), '.git');
  if (verdict.excluded) return [];
  return [
    finding(
      'dockerignore-missing-git',
      'warning',
      null,
      `.dockerignore does not exclude .git${verdict.by ? ` (line ${verdict.by.line} "${verdict.by.text}" includes it again)` : ''}: every commit changes the build context and COPY . . misses the cache. Add a line ".git".`,
      `.dockerignore 没有排除 .git${verdict.by ? `（第 ${verdict.by.line} 行 "${verdict.by.text}" 又把它包含回来了）` : ''}：每次提交都会改变构建上下文，COPY . . 无法命中缓存。请添加一行 ".git"。`,
    ),
  ];
};
