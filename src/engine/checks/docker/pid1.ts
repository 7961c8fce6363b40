import { posix } from 'node:path';
import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import type { ContainerProcess } from '../../docker/session.js';
import { defineCheck } from '../define.js';
import { fail, join, pass, skip } from '../outcome.js';
import { appPort, finalStageLine, notStarted } from './explain.js';
import { requestUntil, sleep } from './http-client.js';
import { lessonImage, startContainer } from './measure.js';

const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'busybox']);
/** Tiny inits that forward signals to their one child (`docker run --init` adds docker-init, which is tini). */
const INITS = new Set(['tini', 'tini-static', 'dumb-init', 'docker-init', 'catatonit']);

const base = (word: string | undefined): string => posix.basename((word ?? '').replace(/^["']|["']$/g, ''));
const argv0 = (p: ContainerProcess | undefined): string => base(p?.args.split(/\s+/)[0]);

/** The argv Docker starts: ENTRYPOINT then CMD (CMD alone when there is no ENTRYPOINT). */
const startArgv = (entrypoint: readonly string[] | null, cmd: readonly string[] | null): string[] => [...(entrypoint ?? []), ...(cmd ?? [])];

/** Whether the start argv runs the script: as a program, an argument of an init or shell, or a word of `sh -c`. */
const startsScript = (argv: readonly string[], script: string): boolean =>
  argv.some((arg) => base(arg) === script || arg.split(/[\s;&|()]+/).some((word) => base(word) === script));

const shown = (argv: readonly string[]): string => JSON.stringify(argv);

export const containerPid1 = defineCheck({
  id: 'container.pid1',
  kind: 'docker',
  title: L('The app is PID 1, started through the entrypoint script', '应用是 PID 1，并经由入口脚本启动'),
  params: s.object({
    /** The app's binary, by path or name (its file name is compared). */
    program: s.string().min(1).default('/server'),
    /** The startup script the chain must go through (its file name), when the lesson has one. */
    script: s.string().min(1).optional(),
  }),
  measure: async (ctx) => {
    const { id, image } = await lessonImage(ctx);
    const port = appPort(image, ctx.port);
    const start = await startContainer(ctx, { image: id, publish: [port] });
    const config = { entrypoint: image.entrypoint, cmd: image.cmd };
    if (!start.started) return { ...config, start };
    // The chain has run its course once the app answers (a script's setup comes first).
    const hostPort = start.ports[port];
    if (hostPort)
      await requestUntil({
        port: hostPort,
        path: '/',
        deadlineMs: 10_000,
        signal: ctx.signal,
        stop: async () => !(await ctx.docker.inspectContainer(start.id)).running,
      });
    else await sleep(2_000, ctx.signal);
    const state = await ctx.docker.inspectContainer(start.id);
    if (!state.running) return { ...config, start, running: false, exitCode: state.exitCode };
    const processes = (await ctx.docker.processes(start.id)).slice(0, 20);
    return { ...config, start, running: true, pid: state.pid ?? 0, processes };
  },
  judge: (m, params, ctx) => {
    if (!m.start.started) return notStarted(m.start);
    if (!('running' in m) || !m.running || !('processes' in m)) {
      const code = 'exitCode' in m ? m.exitCode : null;
      return skip(
        L(
          `Skipped: the container exited (exit ${code}) before its processes could be read: why it exits is what to fix first.`,
          `已跳过：容器在读取进程之前就退出了（退出码 ${code}）：先解决它为什么退出。`,
        ),
      );
    }
    const app = base(params.program);
    const argv = startArgv(m.entrypoint, m.cmd);
    const entry = finalStageLine(ctx.dockerfile, 'ENTRYPOINT') ?? finalStageLine(ctx.dockerfile, 'CMD');
    const pid1 = m.processes.find((p) => p.pid === m.pid) ?? m.processes.find((p) => !m.processes.some((q) => q.pid === p.ppid));
    const tree = m.processes.map((p) => `${p.pid === pid1?.pid ? 'PID 1' : `pid ${p.pid}`}: ${p.args}`).join('; ');
    const measured = { pid1: pid1?.args ?? '', start: shown(argv), processes: m.processes.length };
    const scriptFix = params.script
      ? L(
          `Start the script with ENTRYPOINT ["/${params.script}"] (exec form) and end it with exec ${params.program} "$@", so the app replaces the script's shell as PID 1.`,
          `用 ENTRYPOINT ["/${params.script}"]（exec 形式）启动脚本，并在脚本最后写 exec ${params.program} "$@"，让应用取代脚本的 shell 成为 PID 1。`,
        )
      : L(`Start the app in exec form: ENTRYPOINT ["${params.program}"].`, `请用 exec 形式启动应用：ENTRYPOINT ["${params.program}"]。`);
    if (!pid1) return fail(L(`docker top listed no PID 1 (${tree || 'no processes'}).`, `docker top 没有列出 PID 1（${tree || '没有进程'}）。`), measured);

    const first = argv0(pid1);
    const init = INITS.has(first);
    const children = m.processes.filter((p) => p.ppid === pid1.pid);
    const appIsPid1 = first === app;
    const appUnderInit = init && children.length === 1 && argv0(children[0]) === app;
    if (!appIsPid1 && !appUnderInit) {
      const where: Localized = SHELLS.has(first)
        ? L(
            `PID 1 is a shell (${pid1.args}) and the app runs as its child: docker stop signals PID 1 only, and a shell as PID 1 drops SIGTERM.`,
            `PID 1 是一个 shell（${pid1.args}），应用是它的子进程：docker stop 只给 PID 1 发信号，而作为 PID 1 的 shell 会丢弃 SIGTERM。`,
          )
        : init
          ? L(
              `PID 1 is the init ${first}, but its child is not ${app} (${children.map((c) => c.args).join('; ') || 'none'}): the script in between does not exec the app.`,
              `PID 1 是 init 程序 ${first}，但它的子进程不是 ${app}（${children.map((c) => c.args).join('；') || '无'}）：中间的脚本没有用 exec 启动应用。`,
            )
          : L(`PID 1 is ${pid1.args}, not ${app}.`, `PID 1 是 ${pid1.args}，不是 ${app}。`);
      const shellForm = (argv[0] === '/bin/sh' || argv[0] === 'sh') && argv[1] === '-c';
      // The script still runs (no exec at its end) when a process is the script: `sh script` or the script itself.
      const script = params.script;
      const runsScript = (p: ContainerProcess): boolean => {
        const [w0, w1] = p.args.split(/\s+/);
        return base(w0) === script || (SHELLS.has(base(w0)) && base(w1) === script);
      };
      const scriptLives = script !== undefined && m.processes.some(runsScript);
      const fixes: Localized[] = [];
      if (shellForm)
        fixes.push(
          L(
            `That is the shell form (or sh -c inside the JSON array): the /bin/sh -c it adds stays PID 1. Start it directly: ENTRYPOINT ["/${script ?? params.program.replace(/^\//, '')}"].`,
            `这是 shell 形式（或在 JSON 数组里写了 sh -c）：它加上的 /bin/sh -c 会一直是 PID 1。请直接启动它：ENTRYPOINT ["/${script ?? params.program.replace(/^\//, '')}"]。`,
          ),
        );
      if (scriptLives)
        fixes.push(
          L(
            `${script} is still running as the app's parent: end it with exec ${params.program} "$@" so the app replaces its shell.`,
            `${script} 仍作为应用的父进程在运行：请在脚本最后写 exec ${params.program} "$@"，让应用取代它的 shell。`,
          ),
        );
      return fail(
        join(
          where,
          L(`Processes: ${tree}. The image starts ${shown(argv)}.`, `进程：${tree}。镜像启动的是 ${shown(argv)}。`),
          ...(fixes.length ? fixes : [scriptFix]),
        ),
        measured,
        entry?.line,
      );
    }
    if (params.script && !startsScript(argv, params.script)) {
      return fail(
        join(
          L(
            `PID 1 is ${pid1.args}, but the image starts ${shown(argv)}: ${params.script} never runs, so the setup it does at start-up is skipped.`,
            `PID 1 是 ${pid1.args}，但镜像启动的是 ${shown(argv)}：${params.script} 根本没有运行，它在启动时做的准备工作被跳过了。`,
          ),
          scriptFix,
        ),
        measured,
        entry?.line,
      );
    }
    const through = params.script
      ? L(
          `, started through ${params.script} (the image starts ${shown(argv)}): the script exec'd the app`,
          `，经由 ${params.script} 启动（镜像启动的是 ${shown(argv)}）：脚本用 exec 启动了应用`,
        )
      : L(` (the image starts ${shown(argv)})`, `（镜像启动的是 ${shown(argv)}）`);
    const head = appUnderInit
      ? L(
          `PID 1 is the init ${first}, which forwards signals to its one child, ${children[0]?.args ?? app}`,
          `PID 1 是 init 程序 ${first}，它把信号转发给唯一的子进程 ${children[0]?.args ?? app}`,
        )
      : L(`PID 1 is ${pid1.args}`, `PID 1 是 ${pid1.args}`);
    return pass(L(`${head.en}${through.en}.`, `${head['zh-CN']}${through['zh-CN']}。`), measured, entry?.line);
  },
});
