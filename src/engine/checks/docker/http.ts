import { s, type Infer } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import { portNumber } from '../../docker/parse-inspect.js';
import { defineCheck } from '../define.js';
import { fail, join, pass } from '../outcome.js';
import { appPort, diagnoseNoAnswer, noCommandOfItsOwn, notStarted, probeError, shortBody } from './explain.js';
import type { HttpAttempt } from './http-client.js';
import { lessonImage, probe } from './measure.js';
import { jsonObject } from '../../util/json-object.js';

const describe = (attempt: HttpAttempt): Localized =>
  attempt.ok
    ? L(
        `answered ${attempt.answer.status} with body ${JSON.stringify(shortBody(attempt.answer.body))}`,
        `返回 ${attempt.answer.status}，响应体 ${JSON.stringify(shortBody(attempt.answer.body))}`,
      )
    : L(`got no HTTP answer (${attempt.error})`, `没有收到 HTTP 响应（${probeError(attempt.error)['zh-CN']}）`);

const httpProbeParams = s.object({
  path: s.string().startsWith('/'),
  status: s.number().int().default(200),
  bodyContains: s.string().optional(),
  port: s.number().int().positive().optional(),
  env: s.record(s.string(), s.union([s.string(), s.number()]).transform(String)).optional(),
  deadlineSeconds: s.number().positive().default(20),
  /** Top-level fields the body, a JSON object, must have with exactly these values ({message: pong}). */
  json: s.record(s.string(), s.union([s.string(), s.number(), s.boolean()])).optional(),
});

/** The body's top-level JSON fields that differ from `want` (all of them when it is not a JSON object). */
const jsonMismatches = (want: Readonly<Record<string, string | number | boolean>>, body: string): string[] => {
  const got = jsonObject(body);
  return Object.keys(want).filter((key) => got?.[key] !== want[key]);
};

const matches = (params: Infer<typeof httpProbeParams>) => (status: number, body: string) =>
  status === params.status &&
  (params.bodyContains === undefined || body.includes(params.bodyContains)) &&
  (params.json === undefined || jsonMismatches(params.json, body).length === 0);

export const httpProbe = defineCheck({
  id: 'http.probe',
  kind: 'docker',
  title: L('The app answers over HTTP', '应用能通过 HTTP 响应'),
  params: httpProbeParams,
  measure: async (ctx, params) => {
    const { id, image } = await lessonImage(ctx);
    const { start, port, attempt, container } = await probe(ctx, {
      image: id,
      port: appPort(image, params.port ?? ctx.port),
      path: params.path,
      env: params.env,
      deadlineMs: params.deadlineSeconds * 1000,
      accept: matches(params),
      settleMs: 3_000,
    });
    return { start, port, attempt, container };
  },
  judge: (m, params, ctx) => {
    if (!m.start.started) return notStarted(m.start);
    const attempt = m.attempt ?? { ok: false, error: 'no attempt made' };
    const request = L(`GET ${params.path} (container port ${m.port})`, `GET ${params.path}（容器端口 ${m.port}）`);
    if (attempt.ok && matches(params)(attempt.answer.status, attempt.answer.body)) {
      return pass(
        L(
          `${request.en} answered ${attempt.answer.status}: ${shortBody(attempt.answer.body)}`,
          `${request['zh-CN']}返回 ${attempt.answer.status}：${shortBody(attempt.answer.body)}`,
        ),
        {
          status: attempt.answer.status,
          port: m.port,
        },
      );
    }
    const json = params.json === undefined ? undefined : JSON.stringify(params.json);
    const expected = L(
      `expected ${params.status}${params.bodyContains !== undefined ? ` with ${JSON.stringify(params.bodyContains)} in the body` : ''}${json ? ` and the JSON body ${json}` : ''}`,
      `期望 ${params.status}${params.bodyContains !== undefined ? `，且响应体包含 ${JSON.stringify(params.bodyContains)}` : ''}${json ? `，且 JSON 响应体为 ${json}` : ''}`,
    );
    const got = describe(attempt);
    return fail(
      join(
        attempt.ok
          ? L(`${request.en} ${got.en}; ${expected.en}.`, `${request['zh-CN']}${got['zh-CN']}；${expected['zh-CN']}。`)
          : m.container?.running === false
            ? // It stopped waiting when the container exited: no deadline was waited out.
              L(`${request.en} ${got.en}; ${expected.en}.`, `${request['zh-CN']}${got['zh-CN']}；${expected['zh-CN']}。`)
            : L(
                `${request.en} ${got.en} within ${params.deadlineSeconds} s; ${expected.en}.`,
                `${request['zh-CN']}在 ${params.deadlineSeconds} 秒内${got['zh-CN']}；${expected['zh-CN']}。`,
              ),
        attempt.ok ? undefined : diagnoseNoAnswer(m.container),
        attempt.ok || m.container?.running !== false ? undefined : noCommandOfItsOwn(ctx.dockerfile),
      ),
      { status: attempt.ok ? attempt.answer.status : null, port: m.port },
    );
  },
});

/** When the EXPOSEd port stays silent, the usual app port is tried too. */
const FALLBACK_PORT = 8080;

export const imageExpose = defineCheck({
  id: 'image.expose',
  kind: 'docker',
  title: L('EXPOSE names the port the app answers on', 'EXPOSE 声明的就是应用监听的端口'),
  params: s.object({}),
  measure: async (ctx) => {
    const { id, image } = await lessonImage(ctx);
    const exposed = image.exposedPorts.map(portNumber).filter((p): p is number => p !== undefined);
    const port = exposed[0];
    if (port === undefined) return { exposed };
    return { exposed, ...(await probe(ctx, { image: id, port, path: '/', deadlineMs: 15_000, extraPorts: [FALLBACK_PORT] })) };
  },
  judge: (m) => {
    const port = m.exposed[0];
    if (port === undefined || !('start' in m)) {
      return fail(
        L(
          'The image EXPOSEs no port: add EXPOSE 8080 (the port the app listens on) to the final stage.',
          '镜像没有 EXPOSE 任何端口：请在最终阶段添加 EXPOSE 8080（应用监听的端口）。',
        ),
        { exposed: '' },
      );
    }
    if (!m.start.started) return notStarted(m.start);
    const attempt = m.attempt ?? { ok: false, error: 'no attempt made' };
    if (attempt.ok) return pass(L(`EXPOSE ${port}: the app answers HTTP on port ${port}.`, `EXPOSE ${port}：应用在端口 ${port} 上响应 HTTP。`), { port });
    if (port !== FALLBACK_PORT && m.extra?.[FALLBACK_PORT]?.ok) {
      return fail(
        L(
          `The image EXPOSEs ${port}, but the app answers on ${FALLBACK_PORT}: change EXPOSE to ${FALLBACK_PORT} (or make the app listen on $PORT and set ENV PORT=${port}).`,
          `镜像 EXPOSE 的是 ${port}，但应用在 ${FALLBACK_PORT} 上响应：请把 EXPOSE 改成 ${FALLBACK_PORT}（或让应用监听 $PORT 并设置 ENV PORT=${port}）。`,
        ),
        { port, answersOn: FALLBACK_PORT },
      );
    }
    return fail(
      join(
        L(
          `The image EXPOSEs ${port}, but nothing answered HTTP there (${attempt.error}).`,
          `镜像 EXPOSE 的是 ${port}，但该端口上没有 HTTP 响应（${probeError(attempt.error)['zh-CN']}）。`,
        ),
        diagnoseNoAnswer(m.container),
      ),
      { port },
    );
  },
});

export const containerEnvPort = defineCheck({
  id: 'container.env-port',
  kind: 'docker',
  title: L('PORT changes where the app listens', 'PORT 环境变量能改变监听端口'),
  params: s.object({ port: s.number().int().positive().default(9090), path: s.string().startsWith('/').default('/ping') }),
  measure: async (ctx, params) => {
    const { id, image } = await lessonImage(ctx);
    const usual = appPort(image);
    const result = await probe(ctx, {
      image: id,
      port: params.port,
      path: params.path,
      env: { PORT: String(params.port) },
      deadlineMs: 20_000,
      extraPorts: [usual],
    });
    return { usual, start: result.start, attempt: result.attempt, container: result.container, extra: result.extra };
  },
  judge: (m, params) => {
    if (!m.start.started) return notStarted(m.start);
    const attempt = m.attempt ?? { ok: false, error: 'no attempt made' };
    if (attempt.ok) {
      return pass(
        L(
          `With -e PORT=${params.port} the app answered GET ${params.path} with ${attempt.answer.status} on port ${params.port}.`,
          `使用 -e PORT=${params.port} 时，应用在端口 ${params.port} 上对 GET ${params.path} 返回 ${attempt.answer.status}。`,
        ),
        { port: params.port, status: attempt.answer.status },
      );
    }
    const still =
      m.usual !== params.port && m.extra?.[m.usual]?.ok
        ? L(
            `It still answers on ${m.usual}: read the port from the PORT environment variable (default 8080).`,
            `它仍在 ${m.usual} 上响应：请从 PORT 环境变量读取端口（默认 8080）。`,
          )
        : diagnoseNoAnswer(m.container);
    return fail(
      join(
        L(
          `With -e PORT=${params.port}, nothing answered on port ${params.port} (${attempt.error}).`,
          `使用 -e PORT=${params.port} 时，端口 ${params.port} 上没有响应（${probeError(attempt.error)['zh-CN']}）。`,
        ),
        still,
      ),
      { port: params.port },
    );
  },
});
