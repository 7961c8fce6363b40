import { z } from 'zod';
import { L } from '../../i18n.js';
import { appPort, dockerCheck, fail, join, lessonImage, pass, startContainer } from './common.js';
import { requestUntil } from './http-client.js';
import { diagnoseNoAnswer } from './http.js';

export const volumeWritable = dockerCheck({
  id: 'volume.writable',
  title: L('The app writes to a named volume', '应用能写入命名卷'),
  params: z.object({
    target: z.string().startsWith('/').default('/data'),
    path: z.string().startsWith('/').default('/api/v1/notes'),
    body: z.string().default('{"title":"hello"}'),
  }),
  run: async (ctx, params) => {
    const built = await lessonImage(ctx);
    if (!built.ok) return built.outcome;
    const image = await ctx.docker.inspectImage(built.image);
    const port = appPort(image);
    const volume = await ctx.docker.createVolume();
    const started = await startContainer(ctx, {
      image: built.image,
      publish: [port],
      volumes: [{ name: volume, target: params.target }],
      env: { DATA_DIR: params.target },
    });
    if (!started.ok) return started.outcome;
    const { id } = started.container;
    const hostPort = started.container.ports[port];
    const attempt = hostPort
      ? await requestUntil({ port: hostPort, path: params.path, method: 'POST', body: params.body, deadlineMs: 20_000, signal: ctx.signal, stop: async () => !(await ctx.docker.inspectContainer(id)).running })
      : { ok: false as const, error: 'the container exited before its port was published' };
    const uids = await ctx.docker.processUids(id).catch(() => [] as number[]);
    const uid = uids[0] ?? null;
    const request = `POST ${params.path}`;
    const measured = { status: attempt.ok ? attempt.answer.status : null, uid };
    if (attempt.ok && attempt.answer.status === 201) {
      const asUser = uid !== null ? L(` as uid ${uid}`, `（uid ${uid}）`) : L('', '');
      return pass(L(`${request} answered 201 with a named volume at ${params.target}${asUser.en}.`, `挂载命名卷到 ${params.target} 时 ${request} 返回 201${asUser['zh-CN']}。`), measured);
    }
    if (!attempt.ok) {
      return fail(join(L(`${request}: no HTTP answer (${attempt.error}).`, `${request}：没有 HTTP 响应（${attempt.error}）。`), await diagnoseNoAnswer(ctx, id)), measured);
    }
    const body = attempt.answer.body.replace(/\s+/g, ' ').trim().slice(0, 200);
    const ownership =
      attempt.answer.status >= 500 && /permission denied|read-only|EACCES/i.test(body)
        ? L(
            `A new named volume copies the owner of ${params.target} from the image; if the image has no ${params.target} or it belongs to root, the app (uid ${uid ?? '?'}) cannot write. Create ${params.target} in the image owned by the app user: e.g. in the build stage RUN mkdir /data, then COPY --from=build --chown=65532:65532 /data ${params.target}.`,
            `新建的命名卷会从镜像中复制 ${params.target} 的属主；如果镜像里没有 ${params.target} 或它属于 root，应用（uid ${uid ?? '?'}）就无法写入。请在镜像中创建属于应用用户的 ${params.target}：例如在构建阶段 RUN mkdir /data，然后 COPY --from=build --chown=65532:65532 /data ${params.target}。`,
          )
        : undefined;
    return fail(join(L(`${request} answered ${attempt.answer.status} (expected 201): ${body}.`, `${request} 返回 ${attempt.answer.status}（期望 201）：${body}。`), ownership), measured);
  },
});
