import { s, type Infer } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { matchIgnore, parseDockerignore } from '../../dockerfile/dockerignore.js';
import { outcome } from '../outcome.js';
import { defineCheck } from '../define.js';
import { dockerignoreFor } from '../ignore-file.js';

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
    const found = await dockerignoreFor(ctx.files, ctx.dockerfilePath);
    if (found === undefined) {
      const own = ctx.dockerfilePath === 'Dockerfile' ? undefined : `${ctx.dockerfilePath}.dockerignore`;
      return outcome(
        'fail',
        L(
          `There is no .dockerignore at the root of the build context${own ? ` (nor ${own})` : ''}, so nothing is kept out of it: ${params.patterns.join(', ')} would be sent to the builder. Create .dockerignore there with one pattern per line.`,
          `构建上下文的根目录下没有 .dockerignore${own ? `（也没有 ${own}）` : ''}，因此没有任何内容被排除：${params.patterns.join('、')} 都会被发送给构建器。请在那里创建 .dockerignore，每行一个模式。`,
        ),
      );
    }
    const text = found.text;
    const patterns = parseDockerignore(text);
    const verdicts = params.patterns.map((path) => ({ path, ...matchIgnore(patterns, path) }));
    const kept = verdicts.filter((v) => !v.excluded);
    if (kept.length === 0) {
      const how = verdicts.map((v) => `${v.path} (line ${v.by?.line ?? '?'}: ${v.by?.text ?? ''})`).join(', ');
      const howZh = verdicts.map((v) => `${v.path}（第 ${v.by?.line ?? '?'} 行：${v.by?.text ?? ''}）`).join('、');
      return outcome('pass', L(`${found.path} excludes ${how}.`, `${found.path} 排除了 ${howZh}。`), { measured: { patterns: patterns.length } });
    }
    const first = kept[0];
    const reincluded = kept.filter((v) => v.by !== null);
    const why = reincluded.map((v) => `line ${v.by?.line ?? '?'} "${v.by?.text ?? ''}" includes ${v.path} again`).join('; ');
    const whyZh = reincluded.map((v) => `第 ${v.by?.line ?? '?'} 行 "${v.by?.text ?? ''}" 又把 ${v.path} 包含回来了`).join('；');
    return outcome(
      'fail',
      L(
        `${found.path} does not exclude ${kept.map((v) => v.path).join(', ')}${why ? ` (${why})` : ''}. Add a line such as "${first?.path ?? ''}".`,
        `${found.path} 没有排除 ${kept.map((v) => v.path).join('、')}${whyZh ? `（${whyZh}）` : ''}。请添加一行，例如 "${first?.path ?? ''}"。`,
      ),
    );
  },
});
