import { goDurationSeconds } from '../../util/go-duration.js';
import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import { defineCheck } from '../define.js';
import { fail, join, pass, secs, secsZh } from '../outcome.js';
import type { DockerContext, JudgeContext } from '../types.js';
import { appPort, notStarted, probeError, shortBody } from './explain.js';
import { httpRequest, requestUntil, sleep, type HttpAttempt } from './http-client.js';
import { lessonImage, startContainer, type Started } from './measure.js';
import { imageEnv } from '../static/common.js';

/**
 * container.drain: how the app leaves when an orchestrator stops it. The runner starts the image,
 * waits until it is ready, starts two requests (one that ends in a couple of seconds, one that
 * outlives any shutdown budget), runs `docker stop` with a grace period, and asks readiness and
 * liveness every ~100 ms until the container is gone. What a learner must see: readiness turns 503
 * while liveness stays 200 and the app keeps serving (draining), the short request completes, and
 * the app ends by itself (cutting the stuck request) before docker stop has to kill it.
 */

/** What both probes answered from `fromMs` to `toMs` after the signal (null: no HTTP answer). */
export interface ProbePhase {
  readonly fromMs: number;
  readonly toMs: number;
  readonly ready: number | null;
  readonly live: number | null;
}

/** A request sent before the signal: its status, or why it got none, and when it ended (after the signal). */
export interface InFlight {
  readonly status: number | null;
  readonly error: string | null;
  readonly body: string;
  readonly endedMs: number;
}

export interface DrainMeasurement {
  readonly start: Started;
  /** Readiness before the signal, when it never answered 200. */
  readonly notReady?: { readonly status: number | null; readonly error: string | null; readonly body: string };
  readonly graceSeconds?: number;
  /** How long the in-flight request ran: longer than the image's DRAIN_DELAY, so the shutdown must wait for it. */
  readonly slowSeconds?: number;
  readonly phases?: readonly ProbePhase[];
  readonly inFlight?: InFlight;
  readonly stuck?: InFlight;
  readonly stop?: { readonly seconds: number; readonly exitCode: number | null };
  /** The image's shutdown settings as configured (ENV), for the explanation. */
  readonly env?: { readonly DRAIN_DELAY: string | null; readonly SHUTDOWN_TIMEOUT: string | null };
}

/** The longest /demo/slow the sample app serves (maxSlowSeconds in demo.go). */
const MAX_SLOW_SECONDS = 25;

/** The demo route the sample app serves with DEMO_ROUTES=1. */
const slowPath = (seconds: number): string => `/demo/slow?seconds=${seconds}`;

const ended = (attempt: HttpAttempt, since: number): InFlight => ({
  status: attempt.ok ? attempt.answer.status : null,
  error: attempt.ok ? null : attempt.error,
  body: attempt.ok ? shortBody(attempt.answer.body) : '',
  endedMs: Date.now() - since,
});

/** Collapses samples into phases: consecutive samples with the same answers are one phase. */
export const toPhases = (samples: readonly { atMs: number; ready: number | null; live: number | null }[]): ProbePhase[] => {
  const phases: ProbePhase[] = [];
  for (const sample of samples) {
    const last = phases[phases.length - 1];
    if (last && last.ready === sample.ready && last.live === sample.live) phases[phases.length - 1] = { ...last, toMs: sample.atMs };
    else phases.push({ fromMs: sample.atMs, toMs: sample.atMs, ready: sample.ready, live: sample.live });
  }
  return phases;
};

const envValue = (env: readonly string[], name: string): string | null => {
  const entry = env.find((e) => e.split('=')[0] === name);
  return entry === undefined ? null : entry.slice(name.length + 1);
};

const measureDrain = async (
  ctx: DockerContext,
  params: { readyPath: string; livePath: string; slowSeconds: number; graceSeconds: number },
): Promise<DrainMeasurement> => {
  const { id, image } = await lessonImage(ctx);
  const port = appPort(image, ctx.port);
  const env = { DRAIN_DELAY: envValue(image.env, 'DRAIN_DELAY'), SHUTDOWN_TIMEOUT: envValue(image.env, 'SHUTDOWN_TIMEOUT') };
  const start = await startContainer(ctx, { image: id, publish: [port], env: { DEMO_ROUTES: '1' } });
  if (!start.started) return { start };
  const hostPort = start.ports[port];
  const ready = hostPort
    ? await requestUntil({ port: hostPort, path: params.readyPath, deadlineMs: 15_000, signal: ctx.signal, accept: (a) => a.status === 200, settleMs: 5_000 })
    : ({ ok: false, error: 'not published' } as const);
  if (!hostPort || !ready.ok || ready.answer.status !== 200) {
    return {
      start,
      env,
      notReady: {
        status: ready.ok ? ready.answer.status : null,
        error: ready.ok ? null : ready.error,
        body: ready.ok ? shortBody(ready.answer.body) : '',
      },
    };
  }

  // Both requests are in the app before the signal: the short one must finish, the stuck one
  // (longer than any budget that fits the grace period) shows who ends it, the app or the kernel.
  // The short one outlasts the drain by 1.5 s: a request that ended during the drain would pass an
  // app that cuts what is still running when the drain is over (srv.Close instead of Shutdown).
  const drainSeconds = drainDelaySeconds(env.DRAIN_DELAY);
  const slowSeconds = Math.min(MAX_SLOW_SECONDS, Math.max(params.slowSeconds, drainSeconds > 0 ? drainSeconds + 1.5 : 0));
  const budgetMs = (params.graceSeconds + 5) * 1000;
  const sentAt = Date.now();
  let signalAt = sentAt;
  const inFlight = httpRequest({ port: hostPort, path: slowPath(slowSeconds), timeoutMs: budgetMs }).then((a) => ended(a, signalAt));
  const stuck = httpRequest({ port: hostPort, path: slowPath(params.graceSeconds * 2), timeoutMs: budgetMs }).then((a) => ended(a, signalAt));
  await sleep(300, ctx.signal);

  signalAt = Date.now();
  let stopped = false;
  const stopping = ctx.docker.stop(start.id, params.graceSeconds).finally(() => {
    stopped = true;
  });
  const samples: { atMs: number; ready: number | null; live: number | null }[] = [];
  while (!stopped && !ctx.signal.aborted) {
    const atMs = Date.now() - signalAt;
    const [r, l] = await Promise.all([
      httpRequest({ port: hostPort, path: params.readyPath, timeoutMs: 1_000 }),
      httpRequest({ port: hostPort, path: params.livePath, timeoutMs: 1_000 }),
    ]);
    samples.push({ atMs, ready: r.ok ? r.answer.status : null, live: l.ok ? l.answer.status : null });
    if (!stopped) await sleep(100, ctx.signal);
  }
  const stop = await stopping;
  return {
    start,
    env,
    graceSeconds: params.graceSeconds,
    slowSeconds,
    phases: toPhases(samples),
    inFlight: await inFlight,
    stuck: await stuck,
    stop: { seconds: Number(stop.seconds.toFixed(2)), exitCode: stop.exitCode },
  };
};

/** The span in seconds from the first sample with readiness 503 and liveness 200 to the last one. */
export const drainSpan = (phases: readonly ProbePhase[]): { fromMs: number; seconds: number } | undefined => {
  const draining = phases.filter((p) => p.ready === 503 && p.live === 200);
  if (!draining.length) return undefined;
  const from = draining[0]!.fromMs;
  return { fromMs: from, seconds: (draining[draining.length - 1]!.toMs - from) / 1000 };
};

const envLine = (ctx: JudgeContext, name: string): number | undefined => imageEnv(ctx.dockerfile, name)?.line;

const setting = (name: string, value: string | null | undefined): Localized => L(`${name}=${value ?? '(unset)'}`, `${name}=${value ?? '（未设置）'}`);

/** DRAIN_DELAY as the app reads it: unset, empty or a zero duration means no drain. */
const noDelay = (value: string | null | undefined): boolean => !value || /^[0.]+(ns|us|µs|ms|s|m|h)?$/.test(value.trim());

/** The drain DRAIN_DELAY asks for, in seconds: 0 when there is none (or it does not parse). */
const drainDelaySeconds = (value: string | null | undefined): number => (noDelay(value) ? 0 : (goDurationSeconds(value ?? '') ?? 0));

/** Why readiness did not drain, in words; undefined when it did for at least minSeconds. */
const drainProblem = (
  phases: readonly ProbePhase[],
  minSeconds: number,
  readyPath: string,
  livePath: string,
  drainDelay: string | null | undefined,
): Localized | undefined => {
  const liveDown = phases.find((p) => p.ready === 503 && p.live !== null && p.live !== 200);
  if (liveDown) {
    return L(
      `While draining, ${livePath} answered ${liveDown.live} too: liveness must stay 200 while the app is only leaving, or an orchestrator restarts it instead of letting it finish.`,
      `排空期间 ${livePath} 也返回了 ${liveDown.live}：应用只是在退出，存活探针必须保持 200，否则编排器会重启它，而不是让它完成收尾。`,
    );
  }
  const span = drainSpan(phases);
  const gone = phases.find((p) => p.live === null);
  const goneAt = gone ? L(` ${secs(gone.fromMs / 1000)} after the signal`, `在信号后 ${secsZh(gone.fromMs / 1000)} `) : L('', '');
  // Which half is missing: without a delay there is nothing to drain for; with one, the code closes at once.
  const how = noDelay(drainDelay)
    ? L(
        `The image sets no DRAIN_DELAY${drainDelay ? ` (${drainDelay})` : ''}, so there is no time to drain: set one (ENV DRAIN_DELAY=2s), and in Run turn readiness off (drain.Start()) and wait before shutting down.`,
        `镜像没有设置 DRAIN_DELAY${drainDelay ? `（${drainDelay}）` : ''}，所以没有排空的时间：设置一个（ENV DRAIN_DELAY=2s），并在 Run 中先关闭就绪（drain.Start()），等待之后再关闭。`,
      )
    : gone && gone.fromMs >= 500
      ? // It kept serving for a while: it waited, but readiness was never turned off (or only after the wait).
        L(
          `DRAIN_DELAY=${drainDelay} is set and the app kept serving, but readiness never said so: turn it off (drain.Start()) before the wait, not after, then shut down.`,
          `DRAIN_DELAY=${drainDelay} 已经设置，应用也继续服务了一段时间，但就绪状态从未改变：要在等待之前（而不是之后）关闭就绪（drain.Start()），然后再关闭。`,
        )
      : L(
          `DRAIN_DELAY=${drainDelay} is set, so the code is what closes at once: in Run, on the signal, turn readiness off first (drain.Start()), keep serving for drain.Delay, then shut down.`,
          `DRAIN_DELAY=${drainDelay} 已经设置，所以是代码立刻关闭了服务：在 Run 中收到信号后，先关闭就绪（drain.Start()），继续服务 drain.Delay 这么久，然后再关闭。`,
        );
  if (!span) {
    if (!phases.some((p) => p.ready === 503)) {
      return join(
        gone
          ? L(
              `After SIGTERM, ${readyPath} never answered 503: the app stopped answering${goneAt.en}, so a load balancer still sending it requests in that moment gets errors.`,
              `收到 SIGTERM 后，${readyPath} 从未返回 503：应用${goneAt['zh-CN']}就不再响应了，负载均衡器在这段时间里发来的请求都会出错。`,
            )
          : L(
              `After SIGTERM, ${readyPath} never answered 503, so nothing tells a load balancer to stop sending requests.`,
              `收到 SIGTERM 后，${readyPath} 从未返回 503，所以没有任何信号告诉负载均衡器停止转发请求。`,
            ),
        how,
      );
    }
    return join(
      L(`${readyPath} answered 503, but never while ${livePath} still answered 200.`, `${readyPath} 返回了 503，但那时 ${livePath} 已经不再返回 200。`),
      how,
    );
  }
  if (span.seconds + 0.15 < minSeconds) {
    return L(
      `${readyPath} answered 503 for only ${secs(span.seconds)} before the app stopped answering${goneAt.en}: too short for a load balancer to notice (its probes run every few seconds). Drain for at least ${minSeconds} s (DRAIN_DELAY).`,
      `${readyPath} 只返回了 ${secsZh(span.seconds)} 的 503，应用就${goneAt['zh-CN']}不再响应了：时间太短，负载均衡器来不及察觉（它的探针每隔几秒才探测一次）。至少排空 ${minSeconds} 秒（DRAIN_DELAY）。`,
    );
  }
  return undefined;
};

const inFlightProblem = (r: InFlight, seconds: number, drainDelay: string | null | undefined): Localized | undefined => {
  if (r.status === 200) return undefined;
  const what = r.status !== null ? L(`answered ${r.status} ${r.body}`.trim(), `返回了 ${r.status} ${r.body}`.trim()) : probeError(r.error ?? '');
  // Cut about when the drain ended: the code stops serving there instead of shutting down gracefully.
  const drained = drainDelaySeconds(drainDelay);
  const atDrainEnd = drained > 0 && Math.abs(r.endedMs / 1000 - drained) < 1;
  const why = atDrainEnd
    ? L(
        ` It was cut when DRAIN_DELAY=${drainDelay} ended: after the drain, srv.Shutdown(ctx) lets the requests still running finish, up to SHUTDOWN_TIMEOUT (srv.Close, or a timeout near zero, cuts them).`,
        `它在 DRAIN_DELAY=${drainDelay} 结束时被切断了：排空之后，srv.Shutdown(ctx) 会让仍在处理的请求完成，最多等 SHUTDOWN_TIMEOUT（srv.Close 或接近零的超时会切断它们）。`,
      )
    : L('', '');
  return L(
    `The ${secs(seconds)} request already running when the signal came did not finish (${what.en}, ${secs(r.endedMs / 1000)} after the signal): in-flight requests must complete before the app exits.${why.en}`,
    `信号到达时正在处理的 ${secsZh(seconds)} 请求没有完成（${what['zh-CN']}，在信号后 ${secsZh(r.endedMs / 1000)}）：应用退出前必须让处理中的请求完成。${why['zh-CN']}`,
  );
};

export const containerDrain = defineCheck({
  id: 'container.drain',
  kind: 'docker',
  title: L('The app drains and stops within its grace period', '应用先排空，再在宽限期内停止'),
  params: s.object({
    readyPath: s.string().default('/health/ready'),
    livePath: s.string().default('/health'),
    /** The in-flight request that must complete. */
    slowSeconds: s.number().positive().default(2),
    /** docker stop's grace period (its default). */
    graceSeconds: s.number().int().positive().default(10),
    /** The shortest drain that counts: a load balancer must see at least one 503. */
    minDrainSeconds: s.number().positive().default(1),
  }),
  measure: (ctx, params) => measureDrain(ctx, params),
  judge: (m, params, ctx) => {
    if (!m.start.started) return notStarted(m.start);
    if (m.notReady || !m.phases || !m.inFlight || !m.stop) {
      const r = m.notReady;
      const what =
        r?.status !== null && r?.status !== undefined
          ? L(`it answered ${r.status} ${r.body}`.trim(), `它返回了 ${r.status} ${r.body}`.trim())
          : probeError(r?.error ?? '');
      return fail(
        L(
          `${params.readyPath} never answered 200 before the stop (${what.en}): the app must be ready before it can drain. Check lesson 10's health endpoints and DATA_DIR.`,
          `停止之前 ${params.readyPath} 从未返回 200（${what['zh-CN']}）：应用要先就绪，才谈得上排空。请检查第 10 课的健康检查端点和 DATA_DIR。`,
        ),
        { ready: false },
      );
    }
    const grace = m.graceSeconds ?? params.graceSeconds;
    const { seconds, exitCode } = m.stop;
    // docker stop returns at the end of its grace period only when it had to SIGKILL (exit 137).
    // Exit code 137 is SIGKILL: docker stop ran out of patience. Any other code, the app ended itself.
    const killed = exitCode === 137;
    const span = drainSpan(m.phases);
    const measured = {
      drainSeconds: span ? Number(span.seconds.toFixed(2)) : 0,
      inFlightStatus: m.inFlight.status,
      stopSeconds: seconds,
      exitCode,
      killed,
    };
    const drain = drainProblem(m.phases, params.minDrainSeconds, params.readyPath, params.livePath, m.env?.DRAIN_DELAY);
    const inFlight = inFlightProblem(m.inFlight, m.slowSeconds ?? params.slowSeconds, m.env?.DRAIN_DELAY);
    const [delay, timeout] = [setting('DRAIN_DELAY', m.env?.DRAIN_DELAY), setting('SHUTDOWN_TIMEOUT', m.env?.SHUTDOWN_TIMEOUT)];
    const kill = killed
      ? L(
          `docker stop had to kill the app when its ${grace}-second grace period ran out (exit ${exitCode}): the app's own budget (${delay.en}, ${timeout.en}) is longer, so the kernel, not the app, ended the requests still running. Keep DRAIN_DELAY + SHUTDOWN_TIMEOUT a few seconds under ${grace} s.`,
          `docker stop 在 ${grace} 秒宽限期用完时不得不杀死应用（退出码 ${exitCode}）：应用自己的预算（${delay['zh-CN']}，${timeout['zh-CN']}）更长，于是仍在运行的请求是被内核而不是应用结束的。让 DRAIN_DELAY + SHUTDOWN_TIMEOUT 比 ${grace} 秒少几秒。`,
        )
      : undefined;
    // Ending by itself in the last second of the grace period is luck: one slow moment and it is killed.
    const tight =
      !killed && seconds > grace - 1
        ? L(
            `The app ended by itself ${secs(seconds)} after the signal (exit ${exitCode}), with less than a second of docker stop's ${grace} s left: one slow moment and it is killed. Its budget (${delay.en}, ${timeout.en}) must end a few seconds before the grace period.`,
            `应用在信号后 ${secsZh(seconds)} 自行结束（退出码 ${exitCode}），离 docker stop 的 ${grace} 秒只剩不到一秒：稍微慢一点就会被杀死。它的预算（${delay['zh-CN']}，${timeout['zh-CN']}）必须比宽限期早几秒结束。`,
          )
        : undefined;
    if (drain || inFlight || kill || tight) {
      const line = kill || tight ? envLine(ctx, 'SHUTDOWN_TIMEOUT') : drain ? envLine(ctx, 'DRAIN_DELAY') : undefined;
      return fail(join(drain, inFlight, kill, tight), measured, line);
    }
    const drained = span as { fromMs: number; seconds: number };
    // The runner's second request never ends on its own: a non-zero exit reports that it was cut.
    const cut = exitCode !== 0 ? L(', after cutting the request that would not finish', '，它切断了那个不会结束的请求') : L('', '');
    return pass(
      L(
        `After SIGTERM, ${params.readyPath} answered 503 for ${secs(drained.seconds)} while ${params.livePath} answered 200; the request in flight finished (200 after ${secs(m.inFlight.endedMs / 1000)}); the app ended by itself ${secs(seconds)} after the signal (exit ${exitCode}${cut.en}), inside docker stop's ${grace} s.`,
        `收到 SIGTERM 后，${params.readyPath} 返回 503 持续了 ${secsZh(drained.seconds)}，同时 ${params.livePath} 仍返回 200；处理中的请求完成了（${secsZh(m.inFlight.endedMs / 1000)} 后返回 200）；应用在信号后 ${secsZh(seconds)} 自行结束（退出码 ${exitCode}${cut['zh-CN']}），在 docker stop 的 ${grace} 秒之内。`,
      ),
      measured,
    );
  },
});
