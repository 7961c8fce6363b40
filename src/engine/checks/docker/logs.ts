import { z } from 'zod';
import { L } from '../../i18n.js';
import type { DockerContext } from '../types.js';
import { appPort, dockerCheck, fail, lessonImage, pass, skip, sleep, startContainer } from './common.js';
import { requestUntil } from './http-client.js';

/** Starts the lesson image, makes one request so the app logs something, and returns the logs. */
const runAndRequest = async (ctx: DockerContext, path: string) => {
  const built = await lessonImage(ctx);
  if (!built.ok) return { outcome: built.outcome };
  const image = await ctx.docker.inspectImage(built.image);
  const port = appPort(image);
  const started = await startContainer(ctx, { image: built.image, publish: [port] });
  if (!started.ok) return { outcome: started.outcome };
  const { id } = started.container;
  const hostPort = started.container.ports[port];
  const answer = hostPort
    ? await requestUntil({ port: hostPort, path, deadlineMs: 15_000, signal: ctx.signal, stop: async () => !(await ctx.docker.inspectContainer(id)).running })
    : undefined;
  // Give the app a moment to flush the request's log line.
  await sleep(300, ctx.signal);
  const state = await ctx.docker.inspectContainer(id);
  const logs = await ctx.docker.logs(id);
  return { id, logs, running: state.running, exitCode: state.exitCode, answered: Boolean(answer?.ok) };
};

const LOG_FILE = /\.log$|^\/var\/log\/|\/logs?\//;

export const containerJsonLogs = dockerCheck({
  id: 'container.json-logs',
  title: L('Logs are JSON lines on stdout', '日志是输出到 stdout 的 JSON 行'),
  params: z.object({ path: z.string().startsWith('/').default('/ping') }),
  run: async (ctx, params) => {
    const run = await runAndRequest(ctx, params.path);
    if (run.outcome) return run.outcome;
    const stdout = run.logs.stdout.split('\n').filter((line) => line.trim());
    const stderr = run.logs.stderr.split('\n').filter((line) => line.trim());
    const isJson = (line: string) => {
      try {
        const value = JSON.parse(line) as unknown;
        return typeof value === 'object' && value !== null && !Array.isArray(value);
      } catch {
        return false;
      }
    };
    const files = (await ctx.docker.changedFiles(run.id)).filter((f) => f.kind !== 'D' && LOG_FILE.test(f.path)).map((f) => f.path);
    const measured = { stdoutLines: stdout.length, stderrLines: stderr.length, jsonLines: stdout.filter(isJson).length, logFiles: files.length };
    const fileNote = files.length
      ? L(` The app wrote log files inside the container (${files.slice(0, 3).join(', ')}): containers should log to stdout, where docker logs and log collectors read.`, `应用在容器内写了日志文件（${files.slice(0, 3).join(', ')}）：容器应把日志写到 stdout，docker logs 和日志收集器从那里读取。`)
      : L('', '');
    const bad = stdout.findIndex((line) => !isJson(line));
    if (bad !== -1) {
      const line = (stdout[bad] ?? '').slice(0, 200);
      return fail(L(`stdout line ${bad + 1} is not JSON: ${line}${fileNote.en}`, `stdout 第 ${bad + 1} 行不是 JSON：${line}${fileNote['zh-CN']}`), measured);
    }
    if (measured.jsonLines === 0) {
      const where = stderr.length ? L(` (${stderr.length} lines went to stderr)`, `（有 ${stderr.length} 行写到了 stderr）`) : L('', '');
      return fail(L(`No JSON log lines on stdout after GET ${params.path}${where.en}.${fileNote.en}`, `GET ${params.path} 之后 stdout 上没有 JSON 日志行${where['zh-CN']}。${fileNote['zh-CN']}`), measured);
    }
    if (files.length) return fail(L(`stdout has ${measured.jsonLines} JSON lines, but${fileNote.en}`, `stdout 有 ${measured.jsonLines} 行 JSON，但是${fileNote['zh-CN']}`), measured);
    const errNote = stderr.length ? L(` (${stderr.length} more on stderr)`, `（另有 ${stderr.length} 行在 stderr）`) : L('', '');
    return pass(L(`All ${measured.jsonLines} stdout lines are JSON${errNote.en}.`, `stdout 的 ${measured.jsonLines} 行全部是 JSON${errNote['zh-CN']}。`), measured);
  },
});

export const containerNoDebugLogs = dockerCheck({
  id: 'container.no-debug-logs',
  title: L('No Gin debug logs (release mode)', '没有 Gin 调试日志（release 模式）'),
  params: z.object({}),
  run: async (ctx) => {
    const run = await runAndRequest(ctx, '/ping');
    if (run.outcome) return run.outcome;
    const lines = `${run.logs.stdout}\n${run.logs.stderr}`.split('\n').filter((line) => line.trim());
    const debug = lines.filter((line) => line.includes('[GIN-debug]'));
    if (debug.length) {
      return fail(
        L(`${debug.length} [GIN-debug] lines in the logs, first: ${JSON.stringify(debug[0]?.slice(0, 160))}. Set ENV GIN_MODE=release in the final stage.`, `日志中有 ${debug.length} 行 [GIN-debug]，第一行：${JSON.stringify(debug[0]?.slice(0, 160))}。请在最终阶段设置 ENV GIN_MODE=release。`),
        { debugLines: debug.length },
      );
    }
    if (!run.running && !lines.length) {
      return skip(L(`Skipped: the container exited (exit ${run.exitCode}) without logging anything; see container.starts.`, `已跳过：容器退出了（退出码 ${run.exitCode}），没有输出任何日志；请看 container.starts。`));
    }
    return pass(L(`No [GIN-debug] lines in ${lines.length} log lines.`, `${lines.length} 行日志中没有 [GIN-debug]。`), { debugLines: 0, logLines: lines.length });
  },
});
