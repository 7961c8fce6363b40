import { L } from '../../i18n.js';
import type { ContainerInspect } from '../../docker/session.js';
import type { DockerContext } from '../types.js';
import { httpRequest, sleep } from './http-client.js';
import type { Started } from './measure.js';

// The active tests behind container.healthy: a probe that checks the app must fail when the app
// does not answer. Two ways to make it not answer, both measured from Health.Log:
//  - unreachable: a second container of the image runs the app on HOST=127.0.0.2 (the sample app's
//    listen interface), so nothing answers on the container's loopback or its address; every probe
//    there must fail, quickly (connection refused), which also catches `|| exit 0` and `|| true`;
//  - stopped: the app of the healthy container gets SIGSTOP (PID 1; it cannot catch it) and the
//    probes that start afterwards must fail (timeout); used when the app ignored HOST.

export type ProbeResult = ContainerInspect['healthLog'][number];

/** The address the app is moved to: loopback, but not 127.0.0.1 or localhost. */
export const UNREACHABLE_HOST = '127.0.0.2';

export interface UnreachableApp {
  readonly running: boolean;
  /** Whether the host got an HTTP answer through the published port (the app ignored HOST). */
  readonly answered: boolean;
  readonly answer: string;
  /** The first probes of that container, oldest first (at most two). */
  readonly probes: readonly ProbeResult[];
}

export interface StoppedApp {
  /** The app stopped answering HTTP from the host once PID 1 was stopped (false: PID 1 is not the app). */
  readonly frozen: boolean;
  /** What the host got from the app after the stop (an error when frozen). */
  readonly answer: string;
  /** Probes that started after the stop, oldest first (at most two). */
  readonly probes: readonly ProbeResult[];
  readonly seconds: number;
}

const describe = (attempt: Awaited<ReturnType<typeof httpRequest>> | undefined): string =>
  attempt ? (attempt.ok ? `HTTP ${attempt.answer.status}` : attempt.error) : 'not published';

/** Waits (until the deadline) for the first probe of the container whose app listens on UNREACHABLE_HOST. */
export const unreachableApp = async (ctx: DockerContext, start: Started, port: number, deadline: number): Promise<UnreachableApp | undefined> => {
  if (!start.started) return undefined;
  let state = await ctx.docker.inspectContainer(start.id);
  while (!ctx.signal.aborted && Date.now() < deadline && state.running && state.healthLog.length === 0) {
    ctx.progress({ type: 'note', message: L('Waiting for a probe of the app it cannot reach…', '等待一次无法到达应用的探测…') });
    await sleep(500, ctx.signal);
    state = await ctx.docker.inspectContainer(start.id);
  }
  const hostPort = start.ports[port];
  const check = hostPort && state.running ? await httpRequest({ port: hostPort, path: '/health', timeoutMs: 1_500 }) : undefined;
  return { running: state.running, answered: Boolean(check?.ok), answer: describe(check), probes: state.healthLog.slice(0, 2) };
};

/** How long to wait for probes after the app is stopped: a default HEALTHCHECK probes every 30 s. */
const STOPPED_WAIT_MS = 65_000;

const startOf = (p: ProbeResult): number => (p.start ? Date.parse(p.start) : Number.NaN);

/** Stops PID 1 and collects the probes that start afterwards: until one fails, or two succeed. */
export const stopTheApp = async (ctx: DockerContext, id: string, hostPort: number | undefined): Promise<StoppedApp> => {
  await ctx.docker.signalContainer(id, 'SIGSTOP');
  const t0 = Date.now();
  // Docker's own clock stamps the probes: only those that began after this inspect count.
  const stoppedState = await ctx.docker.inspectContainer(id);
  const since = Math.max(...stoppedState.healthLog.map(startOf).filter(Number.isFinite), 0);
  const check = hostPort ? await httpRequest({ port: hostPort, path: '/health', timeoutMs: 1_500 }) : undefined;
  const frozen = check ? !check.ok : true;
  let probes: ProbeResult[] = [];
  while (frozen && !ctx.signal.aborted && Date.now() - t0 < STOPPED_WAIT_MS) {
    const state = await ctx.docker.inspectContainer(id);
    probes = state.healthLog.filter((p) => startOf(p) > since).slice(0, 2);
    if (!state.running || probes.some((p) => p.exitCode !== 0) || probes.length >= 2) break;
    ctx.progress({ type: 'note', message: L('The app is stopped: waiting for the health probe to notice…', '应用已暂停：等待健康探测发现…') });
    await sleep(500, ctx.signal);
  }
  return { frozen, answer: describe(check), probes, seconds: (Date.now() - t0) / 1000 };
};
