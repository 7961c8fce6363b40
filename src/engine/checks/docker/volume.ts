import { z } from 'zod';
import { L } from '../../i18n.js';
import { defineCheck } from '../define.js';
import { fail, join, pass } from '../outcome.js';
import { appPort, diagnoseNoAnswer, notStarted } from './explain.js';
import { lessonImage, probe } from './measure.js';

export const volumeWritable = defineCheck({
  id: 'volume.writable',
  kind: 'docker',
  title: L('The app writes to a named volume', '应用能写入命名卷'),
  params: z.object({
    target: z.string().startsWith('/').default('/data'),
    path: z.string().startsWith('/').default('/api/v1/notes'),
    body: z.string().default('{"title":"hello"}'),
  }),
  measure: async (ctx, params) => {
    const { id, image } = await lessonImage(ctx);
    const volume = await ctx.docker.createVolume();
    const result = await probe(ctx, {
      image: id,
      port: appPort(image),
      path: params.path,
      method: 'POST',
      body: params.body,
      volumes: [{ name: volume, target: params.target }],
      env: { DATA_DIR: params.target },
      deadlineMs: 20_000,
    });
    const uids = result.id ? await ctx.docker.processUids(result.id).catch(() => [] as number[]) : [];
    return { start: result.start, attempt: result.attempt, container: result.container, uid: uids[0] ?? null };
  },
  judge: (m, params) => {
    if (!m.start.started) return notStarted(m.start);
    const attempt = m.attempt ?? { ok: false, error: 'no attempt made' };
    const { uid } = m;
    const request = `POST ${params.path}`;
    const measured = { status: attempt.ok ? attempt.answer.status : null, uid };
    if (attempt.ok && attempt.answer.status === 201) {
      const asUser = uid !== null ? L(` as uid ${uid}`, `（uid ${uid}）`) : L('', '');
      return pass(
        L(
          `${request} answered 201 with a named volume at ${params.target}${asUser.en}.`,
          `挂载命名卷到 ${params.target} 时 ${request} 返回 201${asUser['zh-CN']}。`,
        ),
        measured,
      );
    }
    if (!attempt.ok)
      return fail(
        join(L(`${request}: no HTTP answer (${attempt.error}).`, `${request}：没有 HTTP 响应（${attempt.error}）。`), diagnoseNoAnswer(m.container)),
        measured,
      );
    const body = attempt.answer.body.replace(/\s+/g, ' ').trim().slice(0, 200);
    const ownership =
      attempt.answer.status >= 500 && /permission denied|read-only|EACCES/i.test(body)
        ? L(
            `A new named volume copies the owner of ${params.target} from the image; if the image has no ${params.target} or it belongs to root, the app (uid ${uid ?? '?'}) cannot write. Create ${params.target} in the image owned by the app user: e.g. in the build stage RUN mkdir /data, then COPY --from=build --chown=65532:65532 /data ${params.target}.`,
            `新建的命名卷会从镜像中复制 ${params.target} 的属主；如果镜像里没有 ${params.target} 或它属于 root，应用（uid ${uid ?? '?'}）就无法写入。请在镜像中创建属于应用用户的 ${params.target}：例如在构建阶段 RUN mkdir /data，然后 COPY --from=build --chown=65532:65532 /data ${params.target}。`,
          )
        : undefined;
    return fail(
      join(
        L(`${request} answered ${attempt.answer.status} (expected 201): ${body}.`, `${request} 返回 ${attempt.answer.status}（期望 201）：${body}。`),
        ownership,
      ),
      measured,
    );
  },
});
