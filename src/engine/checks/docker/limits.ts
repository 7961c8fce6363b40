import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import { defineCheck } from '../define.js';
import { fail, join, pass, quoteLines } from '../outcome.js';
import type { JudgeContext } from '../types.js';
import { appPort, notStarted, probeError } from './explain.js';
import { requestUntil, type HttpAttempt } from './http-client.js';
import { lessonImage, snapshot, startContainer } from './measure.js';
import { imageEnv } from '../static/common.js';
import {
  binarySize,
  maxProcsFor,
  memLimitBand,
  NO_LIMIT_AT,
  parseDockerMemory,
  parseGoMemLimit,
  percentOf,
  suggestedGoMemLimit,
  type GoMemLimit,
} from './memlimit.js';

/**
 * The band GOMEMLIMIT must sit in, as fractions of `--memory` (both ends inside). Below about half
 * the limit the GC starts collecting long before memory is short: with the live heap near the soft
 * limit it runs almost continuously (a 1 MiB GOMEMLIMIT makes nearly every allocation wait for a
 * collection) and burns the CPU quota for nothing. Above about 95% nothing is left for the memory
 * the limit does not count (the mapped binary, non-Go allocations, kernel buffers charged to the
 * container), so the OOM killer can still strike before the GC reacts. 80–90% is the usual advice.
 */
const memLimitBandParams = s
  .object({ min: s.number().gt(0).lt(1).default(0.5), max: s.number().gt(0).lt(1).default(0.95) })
  .refine((b) => b.min < b.max, 'min must be below max');

const limitsParams = s.object({
  memory: s.string().min(1),
  cpus: s.union([s.string(), s.number()]).transform(String),
  path: s.string().default('/ping'),
  requireEnv: s.array(s.string()).default([]),
  gomemlimit: memLimitBandParams.default({ min: 0.5, max: 0.95 }),
});

export const containerLimits = defineCheck({
  id: 'container.limits',
  kind: 'docker',
  title: L('The app serves under memory and CPU limits', '应用在内存和 CPU 限制下正常服务'),
  params: limitsParams,
  measure: async (ctx, params) => {
    const { id, image } = await lessonImage(ctx);
    const env = image.env;
    const port = appPort(image, ctx.port);
    const start = await startContainer(ctx, { image: id, publish: [port], memory: params.memory, cpus: params.cpus });
    if (!start.started) return { env, start, attempt: null, running: false, exitCode: null, oomKilled: false, runtime: null, logLines: undefined };
    const hostPort = start.ports[port];
    const attempt: HttpAttempt = hostPort
      ? await requestUntil({ port: hostPort, path: params.path, deadlineMs: 20_000, signal: ctx.signal, accept: (a) => a.status >= 200 && a.status < 300 })
      : { ok: false as const, error: 'no published port' };
    const state = await ctx.docker.inspectContainer(start.id);
    const runtime = hostPort && attempt.ok ? await requestUntil({ port: hostPort, path: '/api/v1/runtime', deadlineMs: 1 }) : null;
    // Why it did not serve, in its own words (e.g. the Go runtime refusing a malformed GOMEMLIMIT).
    const logLines = attempt.ok && state.running ? undefined : (await snapshot(ctx, start.id, state)).logLines;
    return { env, start, attempt, running: state.running, exitCode: state.exitCode, oomKilled: state.oomKilled, runtime, logLines };
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
      const what = attempt.ok ? L(`answered ${attempt.answer.status}`, `返回 ${attempt.answer.status}`) : probeError(attempt.error);
      const oom = m.oomKilled
        ? L(
            ' It was killed for exceeding the memory limit (OOM): set GOMEMLIMIT below the limit.',
            '它因超出内存限制被杀死（OOM）：请把 GOMEMLIMIT 设得低于该限制。',
          )
        : L('', '');
      const raw = envNames.get('GOMEMLIMIT');
      // The Go runtime refuses a malformed GOMEMLIMIT before main runs: the likeliest reason for an exit here.
      const malformed =
        !m.running && raw !== undefined && parseGoMemLimit(raw).kind === 'invalid'
          ? L(
              `GOMEMLIMIT=${raw} is not valid Go syntax, and the Go runtime refuses it at start ("malformed GOMEMLIMIT"): write a whole number with B, KiB, MiB, GiB or TiB (MiB, not MB), e.g. ${suggestedGoMemLimit(parseDockerMemory(params.memory) ?? 128 * 1024 * 1024)}.`,
              `GOMEMLIMIT=${raw} 不是合法的 Go 写法，Go 运行时在启动时就会拒绝它（"malformed GOMEMLIMIT"）：请写整数加 B、KiB、MiB、GiB 或 TiB（是 MiB 而不是 MB），例如 ${suggestedGoMemLimit(parseDockerMemory(params.memory) ?? 128 * 1024 * 1024)}。`,
            )
          : undefined;
      // A Go crash ends in a stack trace: its first lines ("fatal error: ...") say why, not its last.
      const fatal = (m.logLines ?? []).filter((l) => /^(fatal error|panic)\b|GOMEMLIMIT/.test(l)).slice(0, 3);
      const shown = fatal.length ? fatal : (m.logLines ?? []).slice(-5);
      const logs = shown.length ? L(`Log:${quoteLines(shown)}`, `日志：${quoteLines(shown)}`) : undefined;
      return fail(
        join(
          L(
            `Under ${limits}, GET ${params.path}: ${what.en}${m.running ? '' : `; the container exited (exit ${m.exitCode})`}.${oom.en}`,
            `在 ${limits} 限制下，GET ${params.path}：${what['zh-CN']}${m.running ? '' : `；容器已退出（退出码 ${m.exitCode}）`}。${oom['zh-CN']}`,
          ),
          malformed,
          logs,
        ),
        { oomKilled: m.oomKilled },
        malformed ? envLine(ctx, 'GOMEMLIMIT') : undefined,
      );
    }
    let runtimeText = '';
    const measured: Record<string, string | number | boolean | null> = { status: attempt.answer.status, memory: params.memory, cpus: params.cpus };
    // The runtime's own answer is the effective limit; without the endpoint, the image's GOMEMLIMIT as Go reads it.
    let goLimit: GoMemLimit = parseGoMemLimit(envNames.get('GOMEMLIMIT') ?? '');
    let source = L('the image config', '镜像配置');
    let procs: number | undefined;
    if (m.runtime?.ok && m.runtime.answer.status === 200) {
      try {
        const data = JSON.parse(m.runtime.answer.body) as Record<string, unknown>;
        const shown = Object.entries(data).filter(([, v]) => typeof v === 'number' || typeof v === 'string');
        runtimeText = shown.map(([k, v]) => `${k}=${String(v)}`).join(', ');
        for (const [k, v] of shown) measured[`runtime.${k}`] = v as string | number;
        if (typeof data.gomemlimit === 'number') {
          goLimit = data.gomemlimit >= NO_LIMIT_AT ? { kind: 'off' } : { kind: 'bytes', bytes: data.gomemlimit };
          source = L('/api/v1/runtime', '应用的 /api/v1/runtime');
        }
        if (typeof data.gomaxprocs === 'number') procs = data.gomaxprocs;
      } catch {
        // Not JSON: the app has no runtime endpoint worth reporting.
      }
    }
    const limitBytes = parseDockerMemory(params.memory);
    const verdict = memLimitVerdict(goLimit, limitBytes, params.requireEnv.includes('GOMEMLIMIT'), source, params.gomemlimit);
    if (goLimit.kind === 'bytes') measured.gomemlimitBytes = goLimit.bytes;
    if (limitBytes) measured.memoryBytes = limitBytes;
    const served = L(
      `Under ${limits} GET ${params.path} answered ${attempt.answer.status}, but`,
      `在 ${limits} 限制下 GET ${params.path} 返回 ${attempt.answer.status}，但`,
    );
    if (verdict.fail) return fail(join(served, verdict.text), measured, envLine(ctx, 'GOMEMLIMIT'));
    const maxProcs = maxProcsFor(params.cpus);
    if (procs !== undefined && maxProcs !== undefined && procs > maxProcs) {
      return fail(
        join(
          served,
          L(
            `GOMAXPROCS is ${procs} (from /api/v1/runtime) under --cpus ${params.cpus}: Go 1.25+ sets it to ${maxProcs} from the CPU limit by itself, and ${procs} threads running Go code on a quota of ${params.cpus} CPU are throttled by the kernel in bursts (latency spikes). Remove GOMAXPROCS from the image and let the runtime choose.`,
            `GOMAXPROCS 为 ${procs}（读取自 /api/v1/runtime），而限制是 --cpus ${params.cpus}：Go 1.25+ 会根据 CPU 限制自动把它设为 ${maxProcs}；在 ${params.cpus} 个 CPU 的配额上让 ${procs} 个线程同时运行 Go 代码，会被内核一阵阵地限流（延迟尖刺）。请从镜像中去掉 GOMAXPROCS，让运行时自己决定。`,
          ),
        ),
        { ...measured, maxProcs },
        envLine(ctx, 'GOMAXPROCS'),
      );
    }
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

/**
 * GOMEMLIMIT against the container's memory limit: at or above the hard limit the GC never works
 * before the OOM killer; below the band it works all the time; above it, nothing is left for the
 * memory the Go runtime does not count (see memLimitBandParams).
 */
const memLimitVerdict = (
  goLimit: GoMemLimit,
  limitBytes: number | undefined,
  required: boolean,
  source: Localized,
  band: { readonly min: number; readonly max: number },
): { fail: boolean; text: Localized } => {
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
  if (!limitBytes || !container)
    return { fail: false, text: L(`GOMEMLIMIT is ${go} (from ${source.en}).`, `GOMEMLIMIT 为 ${go}（读取自${source['zh-CN']}）。`) };
  const share = percentOf(goLimit.bytes, limitBytes);
  const range = `${Math.round(band.min * 100)}%–${Math.round(band.max * 100)}%`;
  switch (memLimitBand(goLimit.bytes, limitBytes, band)) {
    case 'over': {
      const where = goLimit.bytes > limitBytes ? L('above', '高于') : L('equal to', '等于');
      return {
        fail: true,
        text: L(
          `GOMEMLIMIT is ${go} (from ${source.en}), ${where.en} the container limit of ${container}: the GC would never run before the OOM killer; ${advice.en}.`,
          `GOMEMLIMIT 为 ${go}（读取自${source['zh-CN']}），${where['zh-CN']}容器限制 ${container}：GC 在 OOM killer 出手之前永远不会发力；${advice['zh-CN']}。`,
        ),
      };
    }
    case 'high':
      return {
        fail: true,
        text: L(
          `GOMEMLIMIT is ${go} (from ${source.en}), ${share} of the container limit of ${container}, above ${Math.round(band.max * 100)}%: that leaves almost nothing for the memory GOMEMLIMIT does not count (the binary, non-Go allocations, kernel buffers), so the OOM killer can still strike before the GC reacts; ${advice.en}.`,
          `GOMEMLIMIT 为 ${go}（读取自${source['zh-CN']}），是容器限制 ${container} 的 ${share}，高于 ${Math.round(band.max * 100)}%：GOMEMLIMIT 不计算的内存（二进制本身、非 Go 分配、内核缓冲区）几乎没有余地，OOM killer 仍可能在 GC 反应之前出手；${advice['zh-CN']}。`,
        ),
      };
    case 'low':
      return {
        fail: true,
        text: L(
          `GOMEMLIMIT is ${go} (from ${source.en}), only ${share} of the container limit of ${container}, below ${Math.round(band.min * 100)}%: the GC would collect far more often than the memory limit requires (with the live heap near ${go}, almost all the time) and spend the CPU quota on it; ${advice.en}.`,
          `GOMEMLIMIT 为 ${go}（读取自${source['zh-CN']}），只有容器限制 ${container} 的 ${share}，低于 ${Math.round(band.min * 100)}%：GC 会比内存限制所需的频繁得多（存活堆接近 ${go} 时几乎一直在回收），把 CPU 配额耗在这上面；${advice['zh-CN']}。`,
        ),
      };
    default:
      return {
        fail: false,
        text: L(
          `GOMEMLIMIT is ${go} (from ${source.en}), ${share} of the container limit of ${container} (within ${range}).`,
          `GOMEMLIMIT 为 ${go}（读取自${source['zh-CN']}），是容器限制 ${container} 的 ${share}（在 ${range} 之内）。`,
        ),
      };
  }
};

/** The final stage's ENV line that sets this variable, for pointing the message at it. */
const envLine = (ctx: JudgeContext, name: string): number | undefined => imageEnv(ctx.dockerfile, name)?.line;
