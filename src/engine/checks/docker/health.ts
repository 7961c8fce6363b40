import { s } from '../../util/schema.js';
import { L } from '../../i18n.js';
import type { ContainerInspect } from '../../docker/session.js';
import { defineCheck } from '../define.js';
import { fail, join, pass, secs, secsZh, unknown } from '../outcome.js';
import { appPort, finalStageLine, notStarted, probeError } from './explain.js';
import { stopTheApp, unreachableApp, UNREACHABLE_HOST, type ProbeResult, type StoppedApp, type UnreachableApp } from './health-tests.js';
import { httpRequest, requestUntil, sleep } from './http-client.js';
import { lessonImage, startContainer, type Started } from './measure.js';

interface HealthMeasurement {
  readonly healthcheck: readonly string[] | null;
  readonly start?: Started;
  readonly seconds?: number;
  readonly running?: boolean;
  readonly exitCode?: number | null;
  readonly health?: ContainerInspect['health'];
  readonly healthLog?: ContainerInspect['healthLog'];
  readonly unreachable?: UnreachableApp;
  readonly stopped?: StoppedApp;
}

const healthFix = L(
  'Distroless and scratch images have no shell, curl or wget: use the app itself, e.g. HEALTHCHECK CMD ["/server", "healthcheck"].',
  'distroless 和 scratch 镜像里没有 shell、curl 或 wget：请用应用自己来检查，例如 HEALTHCHECK CMD ["/server", "healthcheck"]。',
);

const probeFix = L(
  'Probe the app itself and let a failed answer fail the probe: HEALTHCHECK CMD ["/server", "healthcheck"] (it GETs /health on $PORT and exits 1 unless it answers 200), or on a base with curl, curl -fsS http://localhost:8080/health with no `|| true` / `|| exit 0`.',
  '请探测应用本身，并让失败的响应使探测失败：HEALTHCHECK CMD ["/server", "healthcheck"]（它请求 $PORT 上的 /health，除非返回 200 否则以 1 退出），或在有 curl 的基础镜像上用 curl -fsS http://localhost:8080/health，不要加 `|| true` / `|| exit 0`。',
);

/** A probe's output on one line, cut to 160 characters ("(none)" when it printed nothing). */
const said = (p: ProbeResult | undefined): string => {
  const text = (p?.output ?? '').replace(/\s+/g, ' ').trim();
  return text ? (text.length > 160 ? `${text.slice(0, 160)}…` : text) : '(none)';
};

/** The probe output shows the app's answer: /health's body or `server healthcheck`'s line. */
const showsTheApp = (p: ProbeResult | undefined): boolean =>
  Boolean(p && (/"status"\s*:\s*"ok"/.test(p.output) || /^healthy: http:\/\/\S+\/health\b/m.test(p.output)));

export const containerHealthy = defineCheck({
  id: 'container.healthy',
  kind: 'docker',
  title: L('The container reports healthy', '容器报告健康'),
  params: s.object({ withinSeconds: s.number().positive().default(40), expect: s.enum(['healthy', 'unhealthy']).default('healthy') }),
  measure: async (ctx, params): Promise<HealthMeasurement> => {
    const { id, image } = await lessonImage(ctx);
    if (!image.healthcheck) return { healthcheck: null };
    const port = appPort(image, ctx.port);
    const start = await startContainer(ctx, { image: id, publish: [port] });
    if (!start.started) return { healthcheck: image.healthcheck, start };
    // A second container, at the same time, whose app does not answer where a probe looks.
    const test = params.expect === 'healthy' ? await startContainer(ctx, { image: id, publish: [port], env: { HOST: UNREACHABLE_HOST } }) : undefined;
    const t0 = Date.now();
    const deadline = t0 + params.withinSeconds * 1000;
    let state = await ctx.docker.inspectContainer(start.id);
    while (
      !ctx.signal.aborted &&
      Date.now() < deadline &&
      state.running &&
      state.health !== params.expect &&
      !(params.expect === 'healthy' && state.health === 'unhealthy')
    ) {
      ctx.progress({ type: 'note', message: L(`Waiting for health status (${state.health ?? 'none'})…`, `等待健康状态（${state.health ?? '无'}）…`) });
      await sleep(500, ctx.signal);
      state = await ctx.docker.inspectContainer(start.id);
    }
    const seconds = (Date.now() - t0) / 1000;
    const base = {
      healthcheck: image.healthcheck,
      start,
      seconds,
      running: state.running,
      exitCode: state.exitCode,
      health: state.health,
      healthLog: state.healthLog,
    };
    if (params.expect !== 'healthy' || state.health !== 'healthy' || !state.running || !test) return base;
    // The second container's silence means "the app obeyed HOST" only if the healthy one's app
    // answers the runner at all: an app on another port than the one published, or bound to the
    // container's loopback, is silent from here whatever HOST says. Then the app is stopped instead.
    const hostPort = start.ports[port];
    const reachable = hostPort ? (await httpRequest({ port: hostPort, path: '/health', timeoutMs: 1_500 })).ok : false;
    const unreachable = reachable ? await unreachableApp(ctx, test, port, deadline + 10_000) : undefined;
    if (unreachable && !unreachable.answered && unreachable.running && unreachable.probes.length) return { ...base, unreachable };
    // The app ignored HOST (or that container could not run, or the app cannot be reached from here): stop the healthy one's app instead.
    if (hostPort) await requestUntil({ port: hostPort, path: '/health', deadlineMs: 3_000, signal: ctx.signal });
    return { ...base, ...(unreachable ? { unreachable } : {}), stopped: await stopTheApp(ctx, start.id, hostPort) };
  },
  judge: (m, params, ctx) => {
    if (!m.healthcheck) {
      return fail(
        L(
          'The image has no HEALTHCHECK, so Docker never reports a health status. Add one to the final stage.',
          '镜像没有 HEALTHCHECK，Docker 不会报告健康状态。请在最终阶段添加。',
        ),
        { health: 'none' },
      );
    }
    if (!m.start) return fail(L('The container was not started.', '容器没有启动。'));
    if (!m.start.started) return notStarted(m.start);
    const line = finalStageLine(ctx.dockerfile, 'HEALTHCHECK')?.line;
    const elapsed = m.seconds ?? 0;
    const health = m.health ?? null;
    const log = m.healthLog ?? [];
    const last = log[log.length - 1];
    const measured = { health: health ?? 'none', seconds: Number(elapsed.toFixed(1)) };
    if (health === params.expect && params.expect === 'healthy') return judgeProbe(m, line, measured, elapsed, last);
    if (health === params.expect)
      return pass(L(`Health status ${health} after ${secs(elapsed)}.`, `${secsZh(elapsed)} 后健康状态为 ${health}。`), measured, line);
    if (m.running === false) {
      return fail(
        L(
          `The container exited (exit ${m.exitCode}) before it became ${params.expect}: why it exits is what to fix first.`,
          `容器在变为 ${params.expect} 之前就退出了（退出码 ${m.exitCode}）：先解决它为什么退出。`,
        ),
        measured,
        line,
      );
    }
    const output = last ? last.output.trim().split('\n').slice(-3).join(' | ') : '';
    const probe = last
      ? L(
          `Last probe: exit ${last.exitCode}${output ? `, output: ${output}` : ''}.`,
          `最后一次探测：退出码 ${last.exitCode}${output ? `，输出：${output}` : ''}。`,
        )
      : L(
          'No probe has run yet: the HEALTHCHECK --interval (default 30 s) or --start-period may be longer than the limit.',
          '还没有运行过任何探测：HEALTHCHECK 的 --interval（默认 30 秒）或 --start-period 可能超过了时限。',
        );
    const missingTool = last && /executable file not found|not found|no such file/i.test(last.output);
    return fail(
      join(
        L(
          `Health status is ${health ?? 'none'} after ${secs(elapsed)} (expected ${params.expect} within ${params.withinSeconds} s).`,
          `${secsZh(elapsed)} 后健康状态为 ${health ?? '无'}（期望在 ${params.withinSeconds} 秒内变为 ${params.expect}）。`,
        ),
        probe,
        missingTool ? healthFix : undefined,
      ),
      measured,
      line,
    );
  },
});

/** Healthy: does the probe check the app? Judged from the probes that ran while the app did not answer. */
const judgeProbe = (
  m: HealthMeasurement,
  line: number | undefined,
  measured: { health: string; seconds: number },
  elapsed: number,
  last: ProbeResult | undefined,
) => {
  const healthy = L(
    `Health status healthy after ${secs(elapsed)} (probe output: ${said(last)}).`,
    `${secsZh(elapsed)} 后健康状态为 healthy（探测输出：${said(last)}）。`,
  );
  const away = m.unreachable;
  if (away && away.running && !away.answered && away.probes.length) {
    const failed = away.probes.find((p) => p.exitCode !== 0);
    const after = { ...measured, probedUnreachable: away.probes.length, failedUnreachable: failed ? 1 : 0 };
    const setup = L(
      `In a second container the app listened on ${UNREACHABLE_HOST} only (HOST=${UNREACHABLE_HOST}), so nothing answered on localhost or the container's address`,
      `在第二个容器里，应用只监听 ${UNREACHABLE_HOST}（HOST=${UNREACHABLE_HOST}），所以 localhost 和容器地址上都没有任何响应`,
    );
    if (failed) {
      return pass(
        join(
          healthy,
          L(
            `${setup.en}: there the probe failed (exit ${failed.exitCode}: ${said(failed)}), so it checks the app.`,
            `${setup['zh-CN']}：在那里探测失败了（退出码 ${failed.exitCode}：${said(failed)}），说明它确实检查了应用。`,
          ),
        ),
        after,
        line,
      );
    }
    const probe = away.probes[0];
    return fail(
      join(
        L(
          `Health status healthy after ${secs(elapsed)}, but the probe does not check the app. ${setup.en}, and the probe still exited 0 (output: ${said(probe)}).`,
          `${secsZh(elapsed)} 后健康状态为 healthy，但探测并没有检查应用。${setup['zh-CN']}，而探测仍然以 0 退出（输出：${said(probe)}）。`,
        ),
        L('Docker would report an app that does not answer as healthy.', '这样 Docker 会把一个不响应的应用报告为 healthy。'),
        probeFix,
      ),
      after,
      line,
    );
  }
  const ignored = away?.answered
    ? L(
        `The app ignored HOST=${UNREACHABLE_HOST} (it still answered: ${away.answer}), so the probe was tested by stopping the app instead.`,
        `应用忽略了 HOST=${UNREACHABLE_HOST}（它仍然响应：${probeError(away.answer)['zh-CN']}），因此改为通过暂停应用来测试探测。`,
      )
    : undefined;
  const stopped = m.stopped;
  if (!stopped) {
    return unknown(join(healthy, L('The probe could not be tested against an app that does not answer.', '无法在应用不响应的情况下测试探测。')), line);
  }
  const failed = stopped.probes.find((p) => p.exitCode !== 0);
  const after = { ...measured, probesWhileStopped: stopped.probes.length, failedWhileStopped: failed ? 1 : 0 };
  if (!stopped.frozen) {
    // PID 1 is not the app (a shell or an init in front of it): the app kept answering.
    const note = L(
      `The app kept answering after PID 1 was stopped (${stopped.answer}), so PID 1 is not the app and the probe could not be tested by stopping it.`,
      `暂停 PID 1 之后应用仍在响应（${probeError(stopped.answer)['zh-CN']}），说明 PID 1 不是应用，因此无法通过暂停应用来测试探测。`,
    );
    if (showsTheApp(last)) return pass(join(healthy, ignored, note, L('Its output shows the app answered it.', '探测输出表明是应用作出了响应。')), after, line);
    return unknown(
      join(healthy, ignored, note, L('Its output does not show the app answered it either.', '探测输出也看不出是应用作出了响应。'), probeFix),
      line,
    );
  }
  if (failed) {
    return pass(
      join(
        healthy,
        ignored,
        L(
          `With the app stopped (SIGSTOP), the next probe failed (exit ${failed.exitCode}: ${said(failed)}): the probe checks the app.`,
          `应用被暂停（SIGSTOP）后，下一次探测失败了（退出码 ${failed.exitCode}：${said(failed)}）：探测确实检查了应用。`,
        ),
      ),
      after,
      line,
    );
  }
  if (stopped.probes.length >= 2) {
    return fail(
      join(
        L(
          `Health status healthy after ${secs(elapsed)}, but the probe does not check the app: with the app stopped (SIGSTOP; it answered nothing: ${stopped.answer}), the next ${stopped.probes.length} probes still exited 0 (output: ${said(stopped.probes[stopped.probes.length - 1])}).`,
          `${secsZh(elapsed)} 后健康状态为 healthy，但探测并没有检查应用：应用被暂停（SIGSTOP；它没有任何响应：${probeError(stopped.answer)['zh-CN']}）后，接下来的 ${stopped.probes.length} 次探测仍然以 0 退出（输出：${said(stopped.probes[stopped.probes.length - 1])}）。`,
        ),
        ignored,
        L('Docker would report a hung app as healthy.', '这样 Docker 会把一个卡死的应用报告为 healthy。'),
        probeFix,
      ),
      after,
      line,
    );
  }
  return unknown(
    join(
      healthy,
      ignored,
      L(
        `With the app stopped, ${stopped.probes.length ? 'only one probe' : 'no probe'} ran within ${secs(stopped.seconds)}, so whether the probe checks the app is not known. A shorter --interval (5s) makes it quicker to tell.`,
        `应用被暂停后，${secsZh(stopped.seconds)} 内${stopped.probes.length ? '只运行了一次探测' : '没有运行任何探测'}，因此无法确定探测是否检查了应用。较短的 --interval（5s）能更快得出结论。`,
      ),
    ),
    line,
  );
};
