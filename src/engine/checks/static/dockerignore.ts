import { s, type Infer } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { matchIgnore, parseDockerignore } from '../../dockerfile/dockerignore.js';
import { outcome } from '../outcome.js';
import { defineCheck } from '../define.js';

export const dockerignoreParams = s
  .object({
    /** Context-relative paths that must not reach the builder, e.g. ".git", "bin/server", "README.md". */
    patterns: s.array(s.string().min(1)).min(1),
  })
  .strict();

export const dockerignoreExcludes = defineCheck({
  id: 'dockerignore.excludes',
  kind: 'static',
  title: L('.dockerignore keeps unneeded files out of the build context', '.dockerignore 把不需要的文件挡在构建上下文之外'),
  params: dockerignoreParams,
  run: async (ctx, params: Infer<typeof dockerignoreParams>) => {
    const text = await ctx.files.read('.dockerignore');
    if (text === undefined) {
      return outcome(
        'fail',
        L(
          `There is no .dockerignore next to the Dockerfile, so everything (${params.patterns.join(', ')}) is sent to the builder. Create .dockerignore with one pattern per line.`,
          `Dockerfile 旁边没有 .dockerignore，所有内容（${params.patterns.join('、')}）都会发送给构建器。请创建 .dockerignore，每行一个模式。`,
        ),
      );
    }
    const patterns = parseDockerignore(text);
    const verdicts = params.patterns.map((path) => ({ path, ...matchIgnore(patterns, path) }));
    const kept = verdicts.filter((v) => !v.excluded);
    if (kept.length === 0) {
      const how = verdicts.map((v) => `${v.path} (line ${v.by?.line ?? '?'}: ${v.by?.text ?? ''})`).join(', ');
      const howZh = verdicts.map((v) => `${v.path}（第 ${v.by?.line ?? '?'} 行：${v.by?.text ?? ''}）`).join('、');
      return outcome('pass', L(`.dockerignore excludes ${how}.`, `.dockerignore 排除了 ${howZh}。`), { measured: { patterns: patterns.length } });
    }
    const first = kept[0];
    const reincluded = kept.filter((v) => v.by !== null);
    const why = reincluded.map((v) => `line ${v.by?.line ?? '?'} "${v.by?.text ?? ''}" includes ${v.path} again`).join('; ');
    const whyZh = reincluded.map((v) => `第 ${v.by?.line ?? '?'} 行 "${v.by?.text ?? ''}" 又把 ${v.path} 包含回来了`).join('；');
    return outcome(
      'fail',
      L(
        `.dockerignore does not exclude ${kept.map((v) => v.path).join(', ')}${why ? ` (${why})` : ''}. Add a line such as "${first?.path ?? ''}".`,
        `.dockerignore 没有排除 ${kept.map((v) => v.path).join('、')}${whyZh ? `（${whyZh}）` : ''}。请添加一行，例如 "${first?.path ?? ''}"。`,
      ),
    );
  },
});
