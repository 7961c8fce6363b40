import { z } from 'zod';
import { L } from '../../i18n.js';
import { atLine, outcome } from '../outcome.js';
import { defineCheck } from '../define.js';
import { mounts, withDockerfile, type Mount } from './common.js';

export const secretMountParams = z.object({ id: z.string().min(1).optional() }).strict();

export const dockerfileSecretMount = defineCheck({
  id: 'dockerfile.secret-mount',
  kind: 'static',
  title: L('A build secret is mounted, not passed as ARG', '构建密钥通过挂载传入，而不是 ARG'),
  params: secretMountParams,
  run: (ctx, params: z.infer<typeof secretMountParams>) =>
    withDockerfile(ctx, (analysis) => {
      const secrets = mounts(analysis, 'secret');
      const idOf = (m: Mount): string => m.options.id ?? (m.options.target ?? m.options.dst ?? '').split('/').pop() ?? '';
      const match = secrets.find((m) => params.id === undefined || idOf(m) === params.id);
      if (match) {
        return outcome(
          'pass',
          atLine(
            match.line,
            `RUN --mount=type=secret,id=${idOf(match)} reads the secret without storing it in the image.`,
            `RUN --mount=type=secret,id=${idOf(match)} 读取密钥，且不会把它存进镜像。`,
          ),
          { line: match.line },
        );
      }
      const wanted = params.id ?? 'mysecret';
      const others = secrets.map(idOf).join(', ');
      return outcome(
        'fail',
        secrets.length > 0
          ? L(
              `The secret mounts use id ${others}, but this lesson passes the secret as id=${wanted}. Write RUN --mount=type=secret,id=${wanted} ...`,
              `密钥挂载使用的 id 是 ${others}，但本课传入的密钥 id 是 ${wanted}。请写 RUN --mount=type=secret,id=${wanted} ...`,
            )
          : L(
              `No RUN uses --mount=type=secret. Read the secret with RUN --mount=type=secret,id=${wanted} ... (it appears as /run/secrets/${wanted}).`,
              `没有任何 RUN 使用 --mount=type=secret。请用 RUN --mount=type=secret,id=${wanted} ... 读取密钥（它会出现在 /run/secrets/${wanted}）。`,
            ),
      );
    }),
});
