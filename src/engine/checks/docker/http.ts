import { z } from 'zod';
import { L, type Localized } from '../../i18n.js';
import { portNumber } from '../../docker/parse-inspect.js';
import type { CheckOutcome, DockerContext } from '../types.js';
import { appPort, bindHint, dockerCheck, explainStartFailure, fail, join, lastLogLines, lessonImage, logLines, pass, quoteLines, startContainer } from './common.js';
import { httpRequest, requestUntil, type HttpAttempt } from './http-client.js';

const short = (body: string): string => {
  const oneLine = body.replace(/\s+/g, ' ').trim();
  return oneLine.length > 160 ? `${oneLine.slice(0, 160)}…` : oneLine;
};

const describe = (attempt: HttpAttempt): Localized =>
  attempt.ok
    ? L(`answered ${attempt.answer.status} with body ${JSON.stringify(short(attempt.answer.body))}`, `返回 ${attempt.answer.status}，响应体 ${JSON.stringify(short(attempt.answer.body))}`)
    : L(`got no HTTP answer (${attempt.error})`, `没有收到 HTTP 响应（${attempt.error}）`);

/** What the container says about itself when it does not answer: exit code, log tail, bind address. */
export const diagnoseNoAnswer = async (ctx: DockerContext, id: string): Promise<Localized> => {
  const state = await ctx.docker.inspectContainer(id);
  const logs = await ctx.docker.logs(id);
  const lines = lastLogLines(logs, 8);
  const exited = state.running
    ? undefined
    : L(`The container exited (exit ${state.exitCode}). Last log lines:${quoteLines(lines) || ' (none)'}`, `容器已退出（退出码 ${state.exitCode}）。最后的日志：${quoteLines(lines) || '（无）'}`);
  return join(exited, bindHint(logLines(logs)), state.running ? undefined : explainStartFailure(lines.join('\n')));
};

/** Runs the lesson image and probes one path until the deadline. */
const probeOnce = async (
  ctx: DockerContext,
  options: {
    image: string;
    port: number;
    path: string;
    env?: Record<string, string>;
    deadlineMs: number;
    accept: (status: number, body: string) => boolean;
    /** Also published; when the app answers there for 3 s while `port` stays silent, stop waiting. */
    extraPorts?: number[];
    /** See requestUntil: stop this long after the first (unacceptable) HTTP answer. */
    settleMs?: number;
  },
): Promise<{ outcome?: CheckOutcome; attempt?: HttpAttempt; id?: string; ports?: Readonly<Record<number, number>> }> => {
  const publish = [options.port, ...(options.extraPorts ?? []).filter((p) => p !== options.port)];
  const started = await startContainer(ctx, { image: options.image, publish, env: options.env });
  if (!started.ok) return { outcome: started.outcome };
  const hostPort = started.container.ports[options.port];
  const id = started.container.id;
  if (!hostPort) return { attempt: { ok: false, error: 'the container exited before its port was published' }, id, ports: started.container.ports };
  const started0 = Date.now();
  const other = (options.extraPorts ?? []).map((p) => started.container.ports[p]).find((p): p is number => p !== undefined && p !== hostPort);
  const attempt = await requestUntil({
    port: hostPort,
    path: options.path,
    deadlineMs: options.deadlineMs,
    signal: ctx.signal,
    accept: (a) => options.accept(a.status, a.body),
    settleMs: options.settleMs,
    stop: async () => {
      if (!(await ctx.docker.inspectContainer(id)).running) return true;
      if (other === undefined || Date.now() - started0 < 3_000) return false;
      return (await httpRequest({ port: other, path: '/', timeoutMs: 1_000 })).ok;
    },
  });
  return { attempt, id, ports: started.container.ports };
};

export const httpProbe = dockerCheck({
  id: 'http.probe',
  title: L('The app answers over HTTP', '应用能通过 HTTP 响应'),
  params: z.object({
    path: z.string().startsWith('/'),
    status: z.number().int().default(200),
    bodyContains: z.string().optional(),
    port: z.number().int().positive().optional(),
    env: z.record(z.string(), z.union([z.string(), z.number()]).transform(String)).optional(),
    deadlineSeconds: z.number().positive().default(20),
  }),
  run: async (ctx, params) => {
    const built = await lessonImage(ctx);
    if (!built.ok) return built.outcome;
    const image = await ctx.docker.inspectImage(built.image);
    const port = appPort(image, params.port);
    const matches = (status: number, body: string) => status === params.status && (params.bodyContains === undefined || body.includes(params.bodyContains));
    const result = await probeOnce(ctx, { image: built.image, port, path: params.path, env: params.env, deadlineMs: params.deadlineSeconds * 1000, accept: matches, settleMs: 3_000 });
    if (result.outcome) return result.outcome;
    const attempt = result.attempt as HttpAttempt;
    const request = `GET ${params.path} (container port ${port})`;
    if (attempt.ok && matches(attempt.answer.status, attempt.answer.body)) {
      return pass(L(`${request} answered ${attempt.answer.status}: ${short(attempt.answer.body)}`, `${request} 返回 ${attempt.answer.status}：${short(attempt.answer.body)}`), { status: attempt.answer.status, port });
    }
    const expected = L(
      `expected ${params.status}${params.bodyContains !== undefined ? ` with ${JSON.stringify(params.bodyContains)} in the body` : ''}`,
      `期望 ${params.status}${params.bodyContains !== undefined ? `，且响应体包含 ${JSON.stringify(params.bodyContains)}` : ''}`,
    );
    const got = describe(attempt);
    const diagnosis = attempt.ok ? undefined : await diagnoseNoAnswer(ctx, result.id ?? '');
    return fail(
      join(
        attempt.ok
          ? L(`${request} ${got.en}; ${expected.en}.`, `${request} ${got['zh-CN']}；${expected['zh-CN']}。`)
          : L(`${request} ${got.en} within ${params.deadlineSeconds} s; ${expected.en}.`, `${request} 在 ${params.deadlineSeconds} 秒内${got['zh-CN']}；${expected['zh-CN']}。`),
        diagnosis,
      ),
      { status: attempt.ok ? attempt.answer.status : null, port },
    );
  },
});

export const imageExpose = dockerCheck({
  id: 'image.expose',
  title: L('EXPOSE names the port the app answers on', 'EXPOSE 声明的就是应用监听的端口'),
  params: z.object({}),
  run: async (ctx) => {
    const built = await lessonImage(ctx);
    if (!built.ok) return built.outcome;
    const image = await ctx.docker.inspectImage(built.image);
    const exposed = image.exposedPorts.map(portNumber).filter((p): p is number => p !== undefined);
    const port = exposed[0];
    if (port === undefined) {
      return fail(L('The image EXPOSEs no port: add EXPOSE 8080 (the port the app listens on) to the final stage.', '镜像没有 EXPOSE 任何端口：请在最终阶段添加 EXPOSE 8080（应用监听的端口）。'), { exposed: '' });
    }
    const fallback = 8080;
    const result = await probeOnce(ctx, { image: built.image, port, path: '/', deadlineMs: 15_000, accept: () => true, extraPorts: [fallback] });
    if (result.outcome) return result.outcome;
    const attempt = result.attempt as HttpAttempt;
    if (attempt.ok) {
      return pass(L(`EXPOSE ${port}: the app answers HTTP on port ${port}.`, `EXPOSE ${port}：应用在端口 ${port} 上响应 HTTP。`), { port });
    }
    const other = port !== fallback && result.ports?.[fallback] ? await requestUntil({ port: result.ports[fallback], path: '/', deadlineMs: 1_000 }) : undefined;
    if (other?.ok) {
      return fail(
        L(`The image EXPOSEs ${port}, but the app answers on ${fallback}: change EXPOSE to ${fallback} (or make the app listen on $PORT and set ENV PORT=${port}).`, `镜像 EXPOSE 的是 ${port}，但应用在 ${fallback} 上响应：请把 EXPOSE 改成 ${fallback}（或让应用监听 $PORT 并设置 ENV PORT=${port}）。`),
        { port, answersOn: fallback },
      );
    }
    const diagnosis = await diagnoseNoAnswer(ctx, result.id ?? '');
    return fail(join(L(`The image EXPOSEs ${port}, but nothing answered HTTP there (${attempt.error}).`, `镜像 EXPOSE 的是 ${port}，但该端口上没有 HTTP 响应（${attempt.error}）。`), diagnosis), { port });
  },
});

export const containerEnvPort = dockerCheck({
  id: 'container.env-port',
  title: L('PORT changes where the app listens', 'PORT 环境变量能改变监听端口'),
  params: z.object({ port: z.number().int().positive().default(9090), path: z.string().startsWith('/').default('/ping') }),
  run: async (ctx, params) => {
    const built = await lessonImage(ctx);
    if (!built.ok) return built.outcome;
    const image = await ctx.docker.inspectImage(built.image);
    const usual = appPort(image);
    const result = await probeOnce(ctx, {
      image: built.image,
      port: params.port,
      path: params.path,
      env: { PORT: String(params.port) },
      deadlineMs: 20_000,
      accept: () => true,
      extraPorts: [usual],
    });
    if (result.outcome) return result.outcome;
    const attempt = result.attempt as HttpAttempt;
    if (attempt.ok) {
      return pass(
        L(`With -e PORT=${params.port} the app answered GET ${params.path} with ${attempt.answer.status} on port ${params.port}.`, `使用 -e PORT=${params.port} 时，应用在端口 ${params.port} 上对 GET ${params.path} 返回 ${attempt.answer.status}。`),
        { port: params.port, status: attempt.answer.status },
      );
    }
    const old = usual !== params.port && result.ports?.[usual] ? await requestUntil({ port: result.ports[usual], path: params.path, deadlineMs: 1_000 }) : undefined;
    const still = old?.ok
      ? L(`It still answers on ${usual}: read the port from the PORT environment variable (default 8080).`, `它仍在 ${usual} 上响应：请从 PORT 环境变量读取端口（默认 8080）。`)
      : await diagnoseNoAnswer(ctx, result.id ?? '');
    return fail(join(L(`With -e PORT=${params.port}, nothing answered on port ${params.port} (${attempt.error}).`, `使用 -e PORT=${params.port} 时，端口 ${params.port} 上没有响应（${attempt.error}）。`), still), { port: params.port });
  },
});
