import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { z } from 'zod';
import { L, type Localized } from '../../i18n.js';
import type { ImageInspect } from '../../docker/session.js';
import { defineCheck } from '../define.js';
import { fail, join, pass, quoteLines, secs, skip } from '../outcome.js';
import type { DockerContext, JudgeContext } from '../types.js';
import { candidatePaths, entrypointProgram, scriptTarget } from './binary.js';
import { appPort, explainStartFailure, finalStageLine, notStarted, runSeconds } from './explain.js';
import { requestUntil, sleep, type HttpAttempt } from './http-client.js';
import { lessonImage, snapshot, startContainer, type ContainerSnapshot } from './measure.js';
import { binarySize, NO_LIMIT_AT, parseDockerMemory, parseGoMemLimit, suggestedGoMemLimit, type GoMemLimit } from './memlimit.js';

/** How long container.starts and container.user give a container before looking (polled, not slept). */
const settle = async (ctx: DockerContext, id: string, seconds: number): Promise<ContainerSnapshot> => {
  const end = Date.now() + seconds * 1000;
  let state = await ctx.docker.inspectContainer(id);
  while (state.running && Date.now() < end && !ctx.signal.aborted) {
    await sleep(Math.min(250, Math.max(0, end - Date.now())), ctx.signal);
    state = await ctx.docker.inspectContainer(id);
  }
  return snapshot(ctx, id, state);
};

export const containerStarts = defineCheck({
  id: 'container.starts',
  kind: 'docker',
  title: L('The container starts and keeps running', '容器能启动并保持运行'),
  params: z.object({ seconds: z.number().positive().default(3) }),
  measure: async (ctx, params) => {
    const { id } = await lessonImage(ctx);
    const start = await startContainer(ctx, { image: id });
    return { start, container: start.started ? await settle(ctx, start.id, params.seconds) : undefined };
  },
  judge: (m, params) => {
    if (!m.start.started) return notStarted(m.start);
    const c = m.container as ContainerSnapshot;
    if (c.running) return pass(L(`Still running after ${params.seconds} s.`, `${params.seconds} 秒后仍在运行。`), { running: true, seconds: params.seconds });
    const lines = c.logLines.slice(-10);
    const ranFor = runSeconds(c) ?? 0;
    const why =
      explainStartFailure(`${c.error}\n${lines.join('\n')}`) ??
      (c.oomKilled ? L('It was killed for using too much memory.', '它因内存超限被杀死。') : undefined);
    return fail(
      join(
        L(
          `The container exited after ${secs(ranFor)} with exit code ${c.exitCode}. Last log lines:${quoteLines(lines) || ' (none)'}`,
          `容器在 ${secs(ranFor)} 后退出，退出码 ${c.exitCode}。最后的日志：${quoteLines(lines) || '（无）'}`,
        ),
        why,
      ),
      { running: false, exitCode: c.exitCode },
    );
  },
});

export const containerUser = defineCheck({
  id: 'container.user',
  kind: 'docker',
  title: L('The container processes are not root', '容器进程不是 root'),
  params: z.object({}),
  measure: async (ctx) => {
    const { id } = await lessonImage(ctx);
    const start = await startContainer(ctx, { image: id });
    if (!start.started) return { start, running: false, exitCode: null, uids: [] as number[] };
    // The app is up once docker top lists it; a container that exits at once is reported as such.
    let uids: number[] = [];
    const end = Date.now() + 3_000;
    let state = await ctx.docker.inspectContainer(start.id);
    while (state.running && !uids.length && Date.now() < end && !ctx.signal.aborted) {
      uids = await ctx.docker.processUids(start.id).catch(() => []);
      if (!uids.length) await sleep(200, ctx.signal);
      state = await ctx.docker.inspectContainer(start.id);
    }
    return { start, running: state.running, exitCode: state.exitCode, uids: [...new Set(uids)] };
  },
  judge: (m, _params, ctx) => {
    if (!m.start.started) return notStarted(m.start);
    if (!m.running) {
      return skip(
        L(
          `Skipped: the container exited (exit ${m.exitCode}) before its processes could be read; see container.starts.`,
          `已跳过：容器在读取进程之前就退出了（退出码 ${m.exitCode}）；请看 container.starts。`,
        ),
      );
    }
    if (!m.uids.length) return skip(L('Skipped: docker top listed no processes.', '已跳过：docker top 没有列出进程。'));
    if (m.uids.includes(0)) {
      return fail(
        L(
          `A process in the container runs as uid 0 (root) (uids: ${m.uids.join(', ')}). Set a non-root USER in the final stage.`,
          `容器中有进程以 uid 0（root）运行（uid：${m.uids.join(', ')}）。请在最终阶段设置非 root 的 USER。`,
        ),
        { uids: m.uids.join(',') },
        finalStageLine(ctx.dockerfile, 'USER')?.line,
      );
    }
    return pass(L(`Processes run as uid ${m.uids.join(', ')}.`, `进程以 uid ${m.uids.join(', ')} 运行。`), { uids: m.uids.join(','), uid: m.uids[0] ?? null });
  },
});

/** The entrypoint program when it is a shell script (starts with #!), copied out of the image. */
const entrypointScript = async (ctx: DockerContext, imageId: string, image: ImageInspect): Promise<{ path: string; text: string } | null> => {
  const program = entrypointProgram(image);
  if (!program) return null;
  const dir = await mkdtemp(joinPath(tmpdir(), 'learn-go-docker-entry-'));
  try {
    for (const path of candidatePaths(program, image)) {
      const dest = joinPath(dir, 'entry');
      try {
        await ctx.docker.copyFromImage(imageId, path, dest);
      } catch {
        continue; // Not at this path: try the next candidate.
      }
      const bytes = await readFile(dest);
      return bytes.subarray(0, 2).toString() === '#!' ? { path, text: bytes.subarray(0, 64 * 1024).toString('utf8') } : null;
    }
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/** The line to end a script with: exec of the absolute program it runs last without exec, else /server. */
const execLine = (script: string): string => {
  const runs = [...script.matchAll(/^\s*(\/[^\s"';|&]+)/gm)].map((m) => m[1]).filter((p): p is string => Boolean(p));
  return `exec ${runs.pop() ?? '/server'} "$@"`;
};

interface StopMeasurement {
  readonly seconds: number;
  readonly exitCode: number | null;
  readonly grace: number;
  readonly entrypoint: readonly string[] | null;
  readonly cmd: readonly string[] | null;
  /** The entrypoint script, when the container starts one (for the "exec" advice). */
  readonly script: { readonly path: string; readonly text: string } | null;
}

/** Why a container did not stop gracefully, from the measurement, the image config and the Dockerfile. */
const stopExplanation = (m: StopMeasurement, ctx: JudgeContext): { text: Localized; line?: number } => {
  const entry = finalStageLine(ctx.dockerfile, 'ENTRYPOINT') ?? finalStageLine(ctx.dockerfile, 'CMD');
  if (!(m.seconds >= m.grace - 0.5 && (m.exitCode === 137 || m.exitCode === null))) {
    return {
      text: L(
        `it exited with code ${m.exitCode}: after a graceful Shutdown the app should return normally (exit 0).`,
        `它的退出码是 ${m.exitCode}：优雅关闭（Shutdown）之后应用应正常返回（退出码 0）。`,
      ),
    };
  }
  const base = L(
    `the process never handled SIGTERM, so Docker killed it after the ${m.grace} s grace period.`,
    `进程从未处理 SIGTERM，所以 Docker 在 ${m.grace} 秒宽限期后强制杀死了它。`,
  );
  // The image config decides what runs; a script run by the shell or as ENTRYPOINT can keep the app from PID 1.
  const argv = m.entrypoint?.length ? m.entrypoint : (m.cmd ?? []);
  const shellForm = (argv[0] === '/bin/sh' || argv[0] === 'sh') && argv[1] === '-c';
  const script = m.script;
  const scriptFix =
    script && scriptTarget(script.text) === undefined
      ? L(
          `${script.path} is a shell script: its shell stays the parent of the app and does not pass SIGTERM on. End it with \`${execLine(script.text)}\` so the app replaces the shell.`,
          `${script.path} 是一个 shell 脚本：它的 shell 一直是应用的父进程，不会把 SIGTERM 转交给应用。请在脚本最后写 \`${execLine(script.text)}\`，让应用取代 shell。`,
        )
      : undefined;
  if (shellForm) {
    const command = (argv[2] ?? '').trim().replace(/^exec\s+/, '');
    const simple = command !== '' && !/[|&;<>$`()'"\\*?~{}]/.test(command);
    const keyword = m.entrypoint?.length ? 'ENTRYPOINT' : 'CMD';
    const form = simple
      ? `${keyword} [${command
          .split(/\s+/)
          .map((w) => JSON.stringify(w))
          .join(', ')}]`
      : undefined;
    const where = entry?.line ? L(`instruction on line ${entry.line}`, `第 ${entry.line} 行的指令`) : L('ENTRYPOINT/CMD', 'ENTRYPOINT/CMD');
    const fix = form
      ? L(`Use the exec form of the command it runs: ${form}.`, `请改用它所运行命令的 exec 形式：${form}。`)
      : L('Write the command it runs in exec form (a JSON array), or start it with exec.', '请把它运行的命令写成 exec 形式（JSON 数组），或在命令前加 exec。');
    return {
      text: join(
        base,
        L(
          `Shell-form ${where.en}: /bin/sh is PID 1 and the app never sees SIGTERM.`,
          `shell 形式的${where['zh-CN']}：/bin/sh 成为 PID 1，应用收不到 SIGTERM。`,
        ),
        fix,
        scriptFix,
      ),
      line: entry?.line,
    };
  }
  if (scriptFix) {
    return {
      text: join(
        base,
        L(
          `The ENTRYPOINT is in exec form, but it starts ${script?.path ?? 'a script'}, not the app, as PID 1.`,
          `ENTRYPOINT 是 exec 形式，但作为 PID 1 启动的是 ${script?.path ?? '脚本'}，而不是应用。`,
        ),
        scriptFix,
      ),
      line: entry?.line,
    };
  }
  return {
    text: join(
      base,
      L(
        'The command runs in exec form, so the app itself must handle SIGTERM: signal.NotifyContext + http.Server.Shutdown, then return.',
        '启动命令是 exec 形式，所以必须由应用自己处理 SIGTERM：signal.NotifyContext + http.Server.Shutdown，然后返回。',
      ),
    ),
  };
};

const GRACE_SECONDS = 10;

export const containerStop = defineCheck({
  id: 'container.stop',
  kind: 'docker',
  title: L('The container stops quickly and cleanly', '容器能快速、干净地停止'),
  params: z.object({ maxSeconds: z.number().positive().default(2), exitCode: z.number().int().default(0) }),
  measure: async (ctx, params) => {
    const { id, image } = await lessonImage(ctx);
    const port = appPort(image);
    const start = await startContainer(ctx, { image: id, publish: [port] });
    if (!start.started) return { start };
    const hostPort = start.ports[port];
    // Wait until the app answers (its signal handlers are then installed), at most a few seconds.
    if (hostPort) await requestUntil({ port: hostPort, path: '/', deadlineMs: 5_000, signal: ctx.signal });
    else await sleep(2_000, ctx.signal);
    await sleep(200, ctx.signal);
    const before = await ctx.docker.inspectContainer(start.id);
    if (!before.running) return { start, exitedBefore: before.exitCode };
    const { seconds, exitCode } = await ctx.docker.stop(start.id, GRACE_SECONDS);
    // The entrypoint script is only read when the stop was slow: it explains why.
    const slow = !(seconds <= params.maxSeconds && exitCode === params.exitCode);
    const stop: StopMeasurement = {
      seconds,
      exitCode,
      grace: GRACE_SECONDS,
      entrypoint: image.entrypoint,
      cmd: image.cmd,
      script: slow ? await entrypointScript(ctx, id, image) : null,
    };
    return { start, stop };
  },
  judge: (m, params, ctx) => {
    if (!m.start.started) return notStarted(m.start);
    if (!('stop' in m) || !m.stop) {
      const code = 'exitedBefore' in m ? m.exitedBefore : null;
      return fail(
        L(
          `The container had already exited (exit ${code}) before docker stop; see container.starts.`,
          `在 docker stop 之前容器已经退出（退出码 ${code}）；请看 container.starts。`,
        ),
        { exitCode: code ?? null },
      );
    }
    const { seconds, exitCode } = m.stop;
    const measured = { stopSeconds: Number(seconds.toFixed(2)), exitCode };
    const measure = L(`Stopped in ${secs(seconds)}, exit ${exitCode}`, `停止用时 ${secs(seconds)}，退出码 ${exitCode}`);
    if (seconds <= params.maxSeconds && exitCode === params.exitCode) return pass(L(`${measure.en}.`, `${measure['zh-CN']}。`), measured);
    const why = stopExplanation(m.stop, ctx);
    const limit = L(` (limit ${params.maxSeconds} s, expected exit ${params.exitCode}): `, `（上限 ${params.maxSeconds} 秒，期望退出码 ${params.exitCode}）：`);
    return fail(L(`${measure.en}${limit.en}${why.text.en}`, `${measure['zh-CN']}${limit['zh-CN']}${why.text['zh-CN']}`), measured, why.line);
  },
});

const healthFix = L(
  'Distroless and scratch images have no shell, curl or wget: use the app itself, e.g. HEALTHCHECK CMD ["/server", "healthcheck"].',
  'distroless 和 scratch 镜像里没有 shell、curl 或 wget：请用应用自己来检查，例如 HEALTHCHECK CMD ["/server", "healthcheck"]。',
);

export const containerHealthy = defineCheck({
  id: 'container.healthy',
  kind: 'docker',
  title: L('The container reports healthy', '容器报告健康'),
  params: z.object({ withinSeconds: z.number().positive().default(40), expect: z.enum(['healthy', 'unhealthy']).default('healthy') }),
  measure: async (ctx, params) => {
    const { id, image } = await lessonImage(ctx);
    if (!image.healthcheck) return { healthcheck: null };
    const start = await startContainer(ctx, { image: id });
    if (!start.started) return { healthcheck: image.healthcheck, start };
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
    return {
      healthcheck: image.healthcheck,
      start,
      seconds: (Date.now() - t0) / 1000,
      running: state.running,
      exitCode: state.exitCode,
      health: state.health,
      healthLog: state.healthLog,
    };
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
    if (!('start' in m) || !m.start) return fail(L('The container was not started.', '容器没有启动。'));
    if (!m.start.started) return notStarted(m.start);
    const line = finalStageLine(ctx.dockerfile, 'HEALTHCHECK')?.line;
    const elapsed = 'seconds' in m ? (m.seconds ?? 0) : 0;
    const health = 'health' in m ? (m.health ?? null) : null;
    const measured = { health: health ?? 'none', seconds: Number(elapsed.toFixed(1)) };
    if (health === params.expect)
      return pass(L(`Health status ${health} after ${secs(elapsed)}.`, `${secs(elapsed)} 后健康状态为 ${health}。`), measured, line);
    if ('running' in m && !m.running) {
      return fail(
        L(
          `The container exited (exit ${m.exitCode}) before it became ${params.expect}; see container.starts.`,
          `容器在变为 ${params.expect} 之前就退出了（退出码 ${m.exitCode}）；请看 container.starts。`,
        ),
        measured,
        line,
      );
    }
    const log = 'healthLog' in m ? (m.healthLog ?? []) : [];
    const last = log[log.length - 1];
    const output = last ? last.output.trim().split('\n').slice(-3).join(' | ') : '';
    const probe = last
      ? L(
          ` Last probe: exit ${last.exitCode}${output ? `, output: ${output}` : ''}.`,
          `最后一次探测：退出码 ${last.exitCode}${output ? `，输出：${output}` : ''}。`,
        )
      : L(
          ' No probe has run yet: the HEALTHCHECK --interval (default 30 s) or --start-period may be longer than the limit.',
          '还没有运行过任何探测：HEALTHCHECK 的 --interval（默认 30 秒）或 --start-period 可能超过了时限。',
        );
    const missingTool = last && /executable file not found|not found|no such file/i.test(last.output);
    return fail(
      join(
        L(
          `Health status is ${health ?? 'none'} after ${secs(elapsed)} (expected ${params.expect} within ${params.withinSeconds} s).`,
          `${secs(elapsed)} 后健康状态为 ${health ?? '无'}（期望在 ${params.withinSeconds} 秒内变为 ${params.expect}）。`,
        ),
        probe,
        missingTool ? healthFix : undefined,
      ),
      measured,
      line,
    );
  },
});

const limitsParams = z.object({
  memory: z.string().min(1),
  cpus: z.union([z.string(), z.number()]).transform(String),
  path: z.string().default('/ping'),
  requireEnv: z.array(z.string()).default([]),
});

export const containerLimits = defineCheck({
  id: 'container.limits',
  kind: 'docker',
  title: L('The app serves under memory and CPU limits', '应用在内存和 CPU 限制下正常服务'),
  params: limitsParams,
  measure: async (ctx, params) => {
    const { id, image } = await lessonImage(ctx);
    const env = image.env;
    const port = appPort(image);
    const start = await startContainer(ctx, { image: id, publish: [port], memory: params.memory, cpus: params.cpus });
    if (!start.started) return { env, start, attempt: null, running: false, exitCode: null, oomKilled: false, runtime: null };
    const hostPort = start.ports[port];
    const attempt: HttpAttempt = hostPort
      ? await requestUntil({ port: hostPort, path: params.path, deadlineMs: 20_000, signal: ctx.signal, accept: (a) => a.status >= 200 && a.status < 300 })
      : { ok: false as const, error: 'no published port' };
    const state = await ctx.docker.inspectContainer(start.id);
    const runtime = hostPort && attempt.ok ? await requestUntil({ port: hostPort, path: '/api/v1/runtime', deadlineMs: 1 }) : null;
    return { env, start, attempt, running: state.running, exitCode: state.exitCode, oomKilled: state.oomKilled, runtime };
  },
  judge: (m, params, ctx) => {
    const envNames = new Map(m.env.map((e) => [e.split('=')[0] ?? '', e.slice(e.indexOf('=') + 1)]));
    const missing = params.requireEnv.filter((name) => !envNames.has(name));
    if (missing.length) {
      return fail(
        L(
          `Not set in the image config: ${missing.join(', ')}. Add ENV ${missing[0]}=… to the final stage.`,
          `镜像配置中没有设置：${missing.join(', ')}。请在最终阶段添加 ENV ${missing[0]}=…。`,
        ),
        { missing: missing.join(',') },
      );
    }
    if (!m.start.started) return notStarted(m.start);
    const limits = `--memory ${params.memory} --cpus ${params.cpus}`;
    const attempt = m.attempt ?? { ok: false, error: 'no attempt made' };
    const envText = params.requireEnv.map((name) => `${name}=${envNames.get(name)}`).join(', ');
    if (!attempt.ok || attempt.answer.status >= 300 || !m.running) {
      const what = attempt.ok ? `answered ${attempt.answer.status}` : attempt.error;
      const oom = m.oomKilled
        ? L(
            ' It was killed for exceeding the memory limit (OOM): set GOMEMLIMIT below the limit.',
            '它因超出内存限制被杀死（OOM）：请把 GOMEMLIMIT 设得低于该限制。',
          )
        : L('', '');
      return fail(
        L(
          `Under ${limits}, GET ${params.path}: ${what}${m.running ? '' : `; the container exited (exit ${m.exitCode})`}.${oom.en}`,
          `在 ${limits} 限制下，GET ${params.path}：${what}${m.running ? '' : `；容器已退出（退出码 ${m.exitCode}）`}。${oom['zh-CN']}`,
        ),
        { oomKilled: m.oomKilled },
      );
    }
    let runtimeText = '';
    const measured: Record<string, string | number | boolean | null> = { status: attempt.answer.status, memory: params.memory, cpus: params.cpus };
    // The runtime's own answer is the effective limit; without the endpoint, the image's GOMEMLIMIT as Go reads it.
    let goLimit: GoMemLimit = parseGoMemLimit(envNames.get('GOMEMLIMIT') ?? '');
    let source = L('the image config', '镜像配置');
    if (m.runtime?.ok && m.runtime.answer.status === 200) {
      try {
        const data = JSON.parse(m.runtime.answer.body) as Record<string, unknown>;
        const shown = Object.entries(data).filter(([, v]) => typeof v === 'number' || typeof v === 'string');
        runtimeText = shown.map(([k, v]) => `${k}=${String(v)}`).join(', ');
        for (const [k, v] of shown) measured[`runtime.${k}`] = v as string | number;
        if (typeof data.gomemlimit === 'number') {
          goLimit = data.gomemlimit >= NO_LIMIT_AT ? { kind: 'off' } : { kind: 'bytes', bytes: data.gomemlimit };
          source = L('/api/v1/runtime', '/api/v1/runtime');
        }
      } catch {
        // Not JSON: the app has no runtime endpoint worth reporting.
      }
    }
    const limitBytes = parseDockerMemory(params.memory);
    const verdict = memLimitVerdict(goLimit, limitBytes, params.requireEnv.includes('GOMEMLIMIT'), source);
    if (goLimit.kind === 'bytes') measured.gomemlimitBytes = goLimit.bytes;
    if (limitBytes) measured.memoryBytes = limitBytes;
    if (verdict.fail)
      return fail(
        join(
          L(
            `Under ${limits} GET ${params.path} answered ${attempt.answer.status}, but`,
            `在 ${limits} 限制下 GET ${params.path} 返回 ${attempt.answer.status}，但`,
          ),
          verdict.text,
        ),
        measured,
        gomemlimitLine(ctx),
      );
    return pass(
      join(
        L(
          `Under ${limits} GET ${params.path} answered ${attempt.answer.status}${envText ? ` (${envText})` : ''}${runtimeText ? `; runtime: ${runtimeText}` : ''}.`,
          `在 ${limits} 限制下 GET ${params.path} 返回 ${attempt.answer.status}${envText ? `（${envText}）` : ''}${runtimeText ? `；运行时：${runtimeText}` : ''}。`,
        ),
        verdict.text,
      ),
      measured,
    );
  },
});

/** GOMEMLIMIT against the container's memory limit: a soft limit at or above the hard one never makes the GC work before the OOM killer. */
const memLimitVerdict = (goLimit: GoMemLimit, limitBytes: number | undefined, required: boolean, source: Localized): { fail: boolean; text: Localized } => {
  const container = limitBytes ? binarySize(limitBytes) : undefined;
  const advice = limitBytes
    ? L(
        `set it to about 80–90% of the limit, e.g. ${suggestedGoMemLimit(limitBytes)}`,
        `请把它设为限制的 80%–90% 左右，例如 ${suggestedGoMemLimit(limitBytes)}`,
      )
    : L('set it to about 80–90% of the container memory limit', '请把它设为容器内存限制的 80%–90% 左右');
  if (goLimit.kind === 'invalid') {
    return {
      fail: true,
      text: L(
        `GOMEMLIMIT is not valid Go syntax (a whole number with B, KiB, MiB, GiB or TiB): ${advice.en}.`,
        `GOMEMLIMIT 不是合法的 Go 写法（整数加 B、KiB、MiB、GiB 或 TiB）：${advice['zh-CN']}。`,
      ),
    };
  }
  if (goLimit.kind === 'off') {
    return required
      ? {
          fail: true,
          text: L(
            `the Go runtime has no memory limit (GOMEMLIMIT not in effect, read from ${source.en}): ${advice.en}.`,
            `Go 运行时没有内存限制（GOMEMLIMIT 未生效，读取自${source['zh-CN']}）：${advice['zh-CN']}。`,
          ),
        }
      : { fail: false, text: L('The Go runtime has no GOMEMLIMIT.', 'Go 运行时没有设置 GOMEMLIMIT。') };
  }
  const go = binarySize(goLimit.bytes);
  if (limitBytes && goLimit.bytes >= limitBytes) {
    const where = goLimit.bytes > limitBytes ? L('above', '高于') : L('equal to', '等于');
    return {
      fail: true,
      text: L(
        `GOMEMLIMIT is ${go} (from ${source.en}), ${where.en} the container limit of ${container}: the GC would never run before the OOM killer; ${advice.en}.`,
        `GOMEMLIMIT 为 ${go}（读取自${source['zh-CN']}），${where['zh-CN']}容器限制 ${container}：GC 在 OOM killer 出手之前永远不会发力；${advice['zh-CN']}。`,
      ),
    };
  }
  return {
    fail: false,
    text: container
      ? L(
          `GOMEMLIMIT is ${go} (from ${source.en}), below the container limit of ${container}.`,
          `GOMEMLIMIT 为 ${go}（读取自${source['zh-CN']}），低于容器限制 ${container}。`,
        )
      : L(`GOMEMLIMIT is ${go} (from ${source.en}).`, `GOMEMLIMIT 为 ${go}（读取自${source['zh-CN']}）。`),
  };
};

/** The final stage's ENV line that sets GOMEMLIMIT, for pointing the message at it. */
const gomemlimitLine = (ctx: JudgeContext): number | undefined => {
  const analysis = ctx.dockerfile;
  return analysis?.ok ? analysis.env.find((e) => e.stage === analysis.finalStage && e.kind === 'ENV' && e.name === 'GOMEMLIMIT')?.line : undefined;
};
