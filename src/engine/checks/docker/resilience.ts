import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import { defineCheck } from '../define.js';
import { fail, pass, secs, secsZh } from '../outcome.js';
import type { DockerContext } from '../types.js';
import { appPort, notStarted, probeError, shortBody } from './explain.js';
import { parseExposition } from './exposition.js';
import { httpRequest, requestUntil, TIMED_OUT } from './http-client.js';
import { lessonImage, neverReady, runUntilReady, startContainer, type Started } from './measure.js';

/**
 * http.resilience: the app stays answerable when its dependency stalls. The runner starts two
 * containers of the lesson image on a network of the session: the dependency (reached as
 * "upstream") and the app with UPSTREAM_URL pointing at it. With the dependency up, the route must
 * answer 200. Then the runner freezes the dependency (`docker pause`: its port accepts connections
 * that nobody answers, the worst way a dependency fails) and sends requests one at a time,
 * reading after each how many calls left the app (its /metrics counter `upstream_calls_total`,
 * counted by the transport the sample app provides, whatever the learner's code does). Then it
 * thaws the dependency and waits for a 200 again (the breaker closes), and sends a burst at once.
 */

/** One request while the dependency was frozen. */
export interface FrozenRequest {
  /** null: no answer within the runner's wait. */
  readonly status: number | null;
  readonly ms: number;
  /** The body (shortened), or why there was no answer. */
  readonly body: string;
  /** Calls to the dependency that ended during this request (null: /metrics unreadable). */
  readonly calls: number | null;
}

export interface ResilienceMeasurement {
  /** The app's container (or the dependency's, when that one did not start: the same image). */
  readonly start: Started;
  readonly notUp?: string;
  /** The dependency up: the route's answer, and the app's call counter after it (null: not on /metrics). */
  readonly healthy?: { readonly status: number | null; readonly body: string; readonly calls: number | null };
  readonly frozen?: readonly FrozenRequest[];
  /** After the dependency came back: the first 200 and how long after, or the last answer. */
  readonly recovered?: { readonly status: number | null; readonly seconds: number };
  /** The requests right after that first 200: a breaker that closed answers 200 to each. */
  readonly afterRecovery?: readonly (number | null)[];
  /** How many requests of the burst got each status ("none": no answer). */
  readonly burst?: Readonly<Record<string, number>>;
}

const CALLS = 'upstream_calls_total';
/** How long the runner waits for one answer while the dependency is frozen. */
export const FROZEN_WAIT_MS = 6_000;
const MAX_FROZEN_REQUESTS = 12;
/** Consecutive requests that made no call: the breaker is open. */
export const OPEN_RUN = 5;
const RECOVERY_MS = 20_000;
const AFTER_RECOVERY = 3;

/** The app's count of calls that left it, from /metrics; null when the counter is not there. */
const callsMade = async (port: number): Promise<number | null> => {
  const answer = await httpRequest({ port, path: '/metrics', timeoutMs: 3_000 });
  if (!answer.ok || answer.answer.status !== 200) return null;
  const series = parseExposition(answer.answer.body).samples.filter((x) => x.name === CALLS);
  return series.length ? series.reduce((sum, x) => sum + x.value, 0) : null;
};

const measureResilience = async (ctx: DockerContext, params: { path: string; burst: number }): Promise<ResilienceMeasurement> => {
  const { id, image } = await lessonImage(ctx);
  const port = appPort(image, ctx.port);
  const network = await ctx.docker.createNetwork();
  // The dependency: the same image, published too so the runner knows when it is up.
  const upstream = await startContainer(ctx, { image: id, publish: [port], network: { name: network, alias: 'upstream' } });
  if (!upstream.started) return { start: upstream };
  const upstreamPort = upstream.ports[port];
  const upstreamUp = upstreamPort
    ? await requestUntil({ port: upstreamPort, path: '/health', deadlineMs: 15_000, signal: ctx.signal, accept: (a) => a.status === 200, settleMs: 5_000 })
    : undefined;
  if (!upstreamUp?.ok || upstreamUp.answer.status !== 200)
    return { start: upstream, notUp: upstreamUp?.ok ? `answered ${upstreamUp.answer.status}` : (upstreamUp?.error ?? 'not published') };

  const app = await runUntilReady(ctx, { env: { UPSTREAM_URL: `http://upstream:${port}` }, network: { name: network } });
  if (!('hostPort' in app)) return app;
  const { start, hostPort } = app;
  const up = await requestUntil({
    port: hostPort,
    path: params.path,
    deadlineMs: 10_000,
    signal: ctx.signal,
    accept: (a) => a.status === 200,
    settleMs: 3_000,
  });
  const healthy = { status: up.ok ? up.answer.status : null, body: up.ok ? shortBody(up.answer.body) : up.error, calls: await callsMade(hostPort) };
  if (healthy.status !== 200 || healthy.calls === null) return { start, healthy };

  const frozen: FrozenRequest[] = [];
  await ctx.docker.pauseContainer(upstream.id);
  try {
    let before = healthy.calls;
    while (frozen.length < MAX_FROZEN_REQUESTS && !ctx.signal.aborted) {
      const began = Date.now();
      const answer = await httpRequest({ port: hostPort, path: params.path, timeoutMs: FROZEN_WAIT_MS });
      const ms = Date.now() - began;
      const after = await callsMade(hostPort);
      frozen.push({
        status: answer.ok ? answer.answer.status : null,
        ms,
        body: answer.ok ? shortBody(answer.answer.body) : answer.error,
        calls: after === null ? null : after - before,
      });
      if (after !== null) before = after;
      // An app that waits on the frozen dependency would make every further request wait too.
      if (!answer.ok) break;
      if (openedAt(frozen) >= 0) break;
    }
  } finally {
    await ctx.docker.unpauseContainer(upstream.id).catch(() => undefined);
  }

  const thawed = Date.now();
  const back = await requestUntil({ port: hostPort, path: params.path, deadlineMs: RECOVERY_MS, signal: ctx.signal, accept: (a) => a.status === 200 });
  const recovered = { status: back.ok ? back.answer.status : null, seconds: Number(((Date.now() - thawed) / 1000).toFixed(2)) };
  // The first 200 may be the half-open trial: the breaker has closed only if the next ones pass too.
  const afterRecovery: (number | null)[] = [];
  if (recovered.status === 200) {
    for (let i = 0; i < AFTER_RECOVERY; i += 1) {
      const a = await httpRequest({ port: hostPort, path: params.path, timeoutMs: FROZEN_WAIT_MS });
      afterRecovery.push(a.ok ? a.answer.status : null);
    }
  }

  const answers = await Promise.all(Array.from({ length: params.burst }, () => httpRequest({ port: hostPort, path: params.path, timeoutMs: 10_000 })));
  const burst: Record<string, number> = {};
  for (const a of answers) {
    const key = a.ok ? String(a.answer.status) : 'none';
    burst[key] = (burst[key] ?? 0) + 1;
  }
  return { start, healthy, frozen, recovered, afterRecovery, burst };
};

/**
 * Where the breaker is seen open: the first of OPEN_RUN consecutive requests that made no call,
 * after at least one request that did (a route that never calls has no breaker to open); -1 if none.
 */
export const openedAt = (frozen: readonly FrozenRequest[]): number => {
  if (!frozen.some((r) => (r.calls ?? 0) > 0)) return -1;
  for (let i = 0; i + OPEN_RUN <= frozen.length; i += 1) {
    if (frozen.slice(i, i + OPEN_RUN).every((r) => r.calls === 0)) return i;
  }
  return -1;
};

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const statusText = (status: number | null): string => (status === null ? 'nothing' : String(status));
const statusTextZh = (status: number | null): string => (status === null ? '空' : String(status));
const burstText = (burst: Readonly<Record<string, number>>): Localized => {
  const parts = Object.entries(burst).sort(([a], [b]) => a.localeCompare(b));
  return L(
    parts.map(([k, n]) => `${n} × ${k === 'none' ? 'no answer' : k}`).join(', '),
    parts.map(([k, n]) => `${n} 个${k === 'none' ? '没有响应' : ` ${k}`}`).join('，'),
  );
};

export const httpResilience = defineCheck({
  id: 'http.resilience',
  kind: 'docker',
  title: L('The app stays answerable when its dependency stalls', '依赖卡住时应用仍能及时响应'),
  params: s.object({
    /** The route that calls the dependency. */
    path: s.string().startsWith('/').default('/api/v1/upstream'),
    /** The longest a request may take while the dependency is frozen. */
    budgetSeconds: s.number().positive().default(2.5),
    /** Requests sent at once at the end. */
    burst: s.number().int().positive().default(60),
  }),
  measure: (ctx, params) => measureResilience(ctx, params),
  judge: (m, params) => {
    if (!m.start.started) return notStarted(m.start);
    if (m.notUp !== undefined || !m.healthy)
      return fail(
        neverReady(
          m.notUp,
          '/health',
          L('the app and its dependency must run before the dependency can fail.', '应用和它的依赖都要先运行起来，才能测量依赖出故障时的表现。'),
        ),
      );
    const path = params.path;
    const healthy = m.healthy;
    const frozen = m.frozen ?? [];
    const calls = frozen.reduce((sum, r) => sum + (r.calls ?? 0), 0);
    const opened = openedAt(frozen);
    const measured = {
      healthyStatus: healthy.status,
      frozenRequests: frozen.length,
      slowestSeconds: frozen.length ? Number((Math.max(...frozen.map((r) => r.ms)) / 1000).toFixed(2)) : null,
      callsWhileFrozen: calls,
      openedAfterRequests: opened >= 0 ? opened : null,
      recoveredSeconds: m.recovered?.status === 200 ? m.recovered.seconds : null,
      limited: m.burst?.['429'] ?? 0,
    };
    if (healthy.status !== 200) {
      return fail(
        L(
          `With the dependency up (a second container of your image, reached as http://upstream), GET ${path} answered ${statusText(healthy.status)} (${healthy.body}): it must answer 200 with what the dependency said before its failures can be measured.`,
          `依赖正常时（你的镜像的第二个容器，地址是 http://upstream），GET ${path} 返回了 ${statusTextZh(healthy.status)}（${healthy.body}）：它要先返回 200 和依赖的回答，才能测量依赖出故障时的表现。`,
        ),
        measured,
      );
    }
    if (healthy.calls === null) {
      return fail(
        L(
          `After a call to the dependency, the app's /metrics has no ${CALLS}: keep the client's Transport: m.Transport(http.DefaultTransport). It counts each call that leaves the process, which is how the runner sees whether the breaker stops them.`,
          `调用依赖之后，应用的 /metrics 里没有 ${CALLS}：客户端要保留 Transport: m.Transport(http.DefaultTransport)。它统计每一次真正发出的调用，检查程序靠它判断熔断器有没有拦住调用。`,
        ),
        measured,
      );
    }
    const hung = frozen.find((r) => r.status === null);
    if (hung) {
      // "no answer within the timeout" says nothing more than the sentence; another error does.
      const why = hung.body === TIMED_OUT ? undefined : probeError(hung.body);
      return fail(
        L(
          `With the dependency frozen (docker pause: it accepts connections and never answers), GET ${path} got no answer within ${FROZEN_WAIT_MS / 1000} s${why ? ` (${why.en})` : ''}: the client waits as long as the dependency does. Give each call a timeout (http.Client{Timeout: ...}) and the whole request a budget (context.WithTimeout).`,
          `依赖被冻结后（docker pause：它接受连接，但永远不回答），GET ${path} 在 ${FROZEN_WAIT_MS / 1000} 秒内没有响应${why ? `（${why['zh-CN']}）` : ''}：依赖卡多久，客户端就等多久。给每次调用设置超时（http.Client{Timeout: ...}），给整个请求设置预算（context.WithTimeout）。`,
        ),
        measured,
      );
    }
    const slow = frozen.find((r) => r.ms > params.budgetSeconds * 1000);
    if (slow) {
      return fail(
        L(
          `With the dependency frozen, GET ${path} answered after ${secs(slow.ms / 1000)}, over the budget of ${secs(params.budgetSeconds)}: the attempts, their timeouts and the waits between them must fit in the budget (for example 3 attempts of 300 ms with 100 and 200 ms between them), and the request's context must end at the budget.`,
          `依赖被冻结后，GET ${path} 过了 ${secsZh(slow.ms / 1000)} 才返回，超过了 ${secsZh(params.budgetSeconds)} 的预算：所有尝试、它们的超时和中间的等待加起来必须在预算之内（例如 3 次尝试，每次 300 毫秒，中间分别等 100 和 200 毫秒），请求的 context 也要在预算用完时结束。`,
        ),
        measured,
      );
    }
    const limited = frozen.find((r) => r.status === 429);
    if (limited) {
      return fail(
        L(
          `With the dependency frozen, GET ${path} answered 429 (${limited.body}) to requests sent one at a time: the rate limiter refuses even a caller that waits for each answer, so the limit is too strict. Allow a burst of several requests and a few per second at least (NewLimiter(20, 20) in the solution).`,
          `依赖被冻结后，对逐个发送的请求，GET ${path} 返回了 429（${limited.body}）：连每次都等上一个响应的调用方都被限流器拒绝了，说明限制太严。请至少允许几个请求的突发和每秒几个请求（答案里是 NewLimiter(20, 20)）。`,
        ),
        measured,
      );
    }
    const wrong = frozen.find((r) => r.status !== 503);
    if (wrong) {
      return fail(
        L(
          `With the dependency frozen, GET ${path} answered ${wrong.status} (${wrong.body}): a dependency that fails is neither the caller's mistake nor a crash of this service. Answer 503 Service Unavailable with a body that says so ({"status":"degraded"}), so callers and load balancers know to try again later.`,
          `依赖被冻结后，GET ${path} 返回了 ${wrong.status}（${wrong.body}）：依赖出故障既不是调用方的错，也不是本服务崩溃。请返回 503 Service Unavailable，并在响应体里说明（{"status":"degraded"}），让调用方和负载均衡器知道稍后再试。`,
        ),
        measured,
      );
    }
    const silent = frozen.find((r) => r.body.trim() === '');
    if (silent) {
      return fail(
        L(
          `With the dependency frozen, GET ${path} answered 503 with an empty body: say what happened, so a caller can tell a degraded service from a broken proxy ({"status":"degraded"}).`,
          `依赖被冻结后，GET ${path} 返回了 503，但响应体是空的：请说明发生了什么，让调用方能分清是服务降级还是代理出错（{"status":"degraded"}）。`,
        ),
        measured,
      );
    }
    if (opened < 0 && calls === 0) {
      // The counter counts calls that ended: none did, so "nothing stops calling" would be a guess.
      return fail(
        L(
          `With the dependency frozen, ${frozen.length} requests ended no call to it (${CALLS} did not move): either the route does not call it, or its calls hang without a deadline and never end, leaking a goroutine and a connection each. Give each call a deadline (a context with a timeout, or http.Client's Timeout) so it fails, and count that failure in the breaker.`,
          `依赖被冻结期间，${frozen.length} 个请求没有一次对它的调用结束（${CALLS} 没有变化）：要么这个路由根本没有调用它，要么调用没有截止时间、一直挂着不结束，每次都泄漏一个 goroutine 和一个连接。给每次调用设置截止时间（带超时的 context，或 http.Client 的 Timeout），让它失败，并把失败计入熔断器。`,
        ),
        measured,
      );
    }
    if (opened < 0) {
      const last = frozen.slice(-OPEN_RUN).map((r) => r.calls ?? 0);
      return fail(
        L(
          `${frozen.length} requests with the dependency frozen made ${calls} calls to it, and the last ${last.length} still made ${last.join(', ')}: nothing stops calling a dependency that is down, so every request still pays the timeout and the dependency gets no rest. Put the calls behind the breaker: Allow() before, Success() or Failure() after; once open it refuses at once.`,
          `依赖被冻结期间，${frozen.length} 个请求一共调用了它 ${calls} 次，最后 ${last.length} 个请求仍分别调用了 ${last.join('、')} 次：没有任何东西阻止调用一个已经挂掉的依赖，于是每个请求都要等到超时，依赖也得不到喘息。把调用放到熔断器后面：调用前 Allow()，调用后 Success() 或 Failure()；熔断器打开后会立即拒绝。`,
        ),
        measured,
      );
    }
    const recovered = m.recovered;
    if (!recovered || recovered.status !== 200) {
      return fail(
        L(
          `The dependency was back, but GET ${path} still answered ${statusText(recovered?.status ?? null)} after ${RECOVERY_MS / 1000} s: an open breaker must let one trial call through after its cool-down and close when it succeeds.`,
          `依赖已经恢复，但 ${RECOVERY_MS / 1000} 秒后 GET ${path} 仍然返回 ${statusTextZh(recovered?.status ?? null)}：打开的熔断器在冷却时间过后要放行一次试探调用，成功后关闭。`,
        ),
        measured,
      );
    }
    const after = m.afterRecovery ?? [];
    if (after.some((status) => status !== 200)) {
      const got = L(after.map((x) => statusText(x)).join(', '), after.map((x) => statusTextZh(x)).join('、'));
      return fail(
        L(
          `After the dependency came back, GET ${path} answered 200 once (the trial call), then ${got.en}: the breaker did not close. Report a call that worked (Success()), so the breaker closes and lets the next calls through.`,
          `依赖恢复后，GET ${path} 返回了一次 200（试探调用），接着是 ${got['zh-CN']}：熔断器没有关闭。调用成功时要报告（Success()），熔断器才会关闭并放行之后的调用。`,
        ),
        measured,
      );
    }
    const burst = m.burst ?? {};
    if (!burst['429']) {
      const got = burstText(burst);
      return fail(
        L(
          `${params.burst} requests at once to ${path} got ${got.en}, none 429: a burst beyond what the service can do must be refused at once with 429 Too Many Requests rather than queued until every request is late. Put the rate limiter in front of the handler (RateLimit(u.limiter)).`,
          `同时向 ${path} 发送 ${params.burst} 个请求，得到 ${got['zh-CN']}，没有一个 429：超出服务能力的突发请求要立即用 429 Too Many Requests 拒绝，而不是排队直到每个请求都超时。把限流器放在处理函数前面（RateLimit(u.limiter)）。`,
        ),
        measured,
      );
    }
    const slowest = measured.slowestSeconds ?? 0;
    const firstCalls = frozen.slice(0, opened).reduce((sum, r) => sum + (r.calls ?? 0), 0);
    return pass(
      L(
        `With the dependency frozen, GET ${path} answered 503 within ${secs(slowest)} every time (budget ${secs(params.budgetSeconds)}); the breaker opened after ${count(opened, 'request', 'requests')} (${count(firstCalls, 'call', 'calls')}) and the next ${OPEN_RUN} made no call; 200 again ${secs(recovered.seconds)} after the dependency came back; a burst of ${params.burst} got ${burstText(burst).en}.`,
        `依赖被冻结后，GET ${path} 每次都在 ${secsZh(slowest)} 内返回 503（预算 ${secsZh(params.budgetSeconds)}）；熔断器在 ${opened} 个请求（${firstCalls} 次调用）之后打开，接下来的 ${OPEN_RUN} 个请求没有调用依赖；依赖恢复 ${secsZh(recovered.seconds)} 后再次返回 200；${params.burst} 个突发请求得到 ${burstText(burst)['zh-CN']}。`,
      ),
      measured,
    );
  },
});
