import { z } from 'zod';
import { L, type Localized } from '../../i18n.js';
import { defineCheck } from '../define.js';
import { fail, join, pass } from '../outcome.js';
import type { JudgeContext } from '../types.js';
import { appPort, notStarted } from './explain.js';
import { requestUntil, type HttpAttempt } from './http-client.js';
import { lessonImage, startContainer } from './measure.js';
import { binarySize, NO_LIMIT_AT, parseDockerMemory, parseGoMemLimit, suggestedGoMemLimit, type GoMemLimit } from './memlimit.js';

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
