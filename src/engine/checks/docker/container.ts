import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import type { ImageInspect } from '../../docker/session.js';
import { defineCheck } from '../define.js';
import { fail, join, pass, quoteLines, secs, secsZh, skip } from '../outcome.js';
import type { DockerContext, JudgeContext } from '../types.js';
import { candidatePaths, entrypointProgram, scriptTarget } from './binary.js';
import { appPort, explainStartFailure, finalStageLine, noCommandOfItsOwn, notStarted, runSeconds } from './explain.js';
import { requestUntil, sleep } from './http-client.js';
import { lessonImage, snapshot, startContainer, type ContainerSnapshot } from './measure.js';

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
  params: s.object({ seconds: s.number().positive().default(3) }),
  measure: async (ctx, params) => {
    const { id } = await lessonImage(ctx);
    const start = await startContainer(ctx, { image: id });
    return { start, container: start.started ? await settle(ctx, start.id, params.seconds) : undefined };
  },
  judge: (m, params, ctx) => {
    if (!m.start.started) return notStarted(m.start);
    const c = m.container as ContainerSnapshot;
    if (c.running) return pass(L(`Still running after ${params.seconds} s.`, `${params.seconds} 秒后仍在运行。`), { running: true, seconds: params.seconds });
    const lines = c.logLines.slice(-10);
    const ranFor = runSeconds(c) ?? 0;
    const why =
      explainStartFailure(`${c.error}\n${lines.join('\n')}`) ??
      (c.oomKilled ? L('It was killed for using too much memory.', '它因内存超限被杀死。') : undefined) ??
      noCommandOfItsOwn(ctx.dockerfile);
    return fail(
      join(
        L(
          `The container exited after ${secs(ranFor)} with exit code ${c.exitCode}. Last log lines:${quoteLines(lines) || ' (none)'}`,
          `容器在 ${secsZh(ranFor)} 后退出，退出码 ${c.exitCode}。最后的日志：${quoteLines(lines) || '（无）'}`,
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
  params: s.object({}),
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
          `Skipped: the container exited (exit ${m.exitCode}) before its processes could be read: why it exits is what to fix first.`,
          `已跳过：容器在读取进程之前就退出了（退出码 ${m.exitCode}）：先解决它为什么退出。`,
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
  params: s.object({ maxSeconds: s.number().positive().default(2), exitCode: s.number().int().default(0) }),
  measure: async (ctx, params) => {
    const { id, image } = await lessonImage(ctx);
    const port = appPort(image, ctx.port);
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
          `The container had already exited (exit ${code}) before docker stop: why it exits is what to fix first.`,
          `在 docker stop 之前容器已经退出（退出码 ${code}）：先解决它为什么退出。`,
        ),
        { exitCode: code ?? null },
      );
    }
    const { seconds, exitCode } = m.stop;
    const measured = { stopSeconds: Number(seconds.toFixed(2)), exitCode };
    const measure = L(`Stopped in ${secs(seconds)}, exit ${exitCode}`, `停止用时 ${secsZh(seconds)}，退出码 ${exitCode}`);
    if (seconds <= params.maxSeconds && exitCode === params.exitCode) return pass(L(`${measure.en}.`, `${measure['zh-CN']}。`), measured);
    const why = stopExplanation(m.stop, ctx);
    const limit = L(` (limit ${params.maxSeconds} s, expected exit ${params.exitCode}): `, `（上限 ${params.maxSeconds} 秒，期望退出码 ${params.exitCode}）：`);
    return fail(L(`${measure.en}${limit.en}${why.text.en}`, `${measure['zh-CN']}${limit['zh-CN']}${why.text['zh-CN']}`), measured, why.line);
  },
});
