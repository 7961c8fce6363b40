import { z } from 'zod';
import { L } from '../../i18n.js';
import { defineCheck } from '../define.js';
import { fail, pass, skip } from '../outcome.js';
import type { DockerContext } from '../types.js';
import { appPort, notStarted } from './explain.js';
import { requestUntil, sleep } from './http-client.js';
import { lessonImage, startContainer, type Started } from './measure.js';

interface RunLogs {
  readonly start: Started;
  /** Non-empty lines the app wrote to stdout and stderr. */
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
  readonly running: boolean;
  readonly exitCode: number | null;
  readonly answered: boolean;
  /** Files the container added or changed (docker diff), deletions left out. */
  readonly written: readonly string[];
}

/** Starts the lesson image, makes one request so the app logs something, and reads what it wrote. */
const runAndRequest = async (ctx: DockerContext, path: string, readWrites: boolean): Promise<RunLogs> => {
  const { id: image, image: config } = await lessonImage(ctx);
  const port = appPort(config);
  const start = await startContainer(ctx, { image, publish: [port] });
  if (!start.started) return { start, stdout: [], stderr: [], running: false, exitCode: null, answered: false, written: [] };
  const { id } = start;
  const hostPort = start.ports[port];
  const answer = hostPort
    ? await requestUntil({ port: hostPort, path, deadlineMs: 15_000, signal: ctx.signal, stop: async () => !(await ctx.docker.inspectContainer(id)).running })
    : undefined;
  // Give the app a moment to flush the request's log line.
  await sleep(300, ctx.signal);
  const state = await ctx.docker.inspectContainer(id);
  const logs = await ctx.docker.logs(id);
  const changed = readWrites ? await ctx.docker.changedFiles(id) : [];
  return {
    start,
    stdout: logs.stdout.split('\n').filter((line) => line.trim()),
    stderr: logs.stderr.split('\n').filter((line) => line.trim()),
    running: state.running,
    exitCode: state.exitCode,
    answered: Boolean(answer?.ok),
    written: changed.filter((f) => f.kind !== 'D').map((f) => f.path),
  };
};

const LOG_FILE = /\.log$|^\/var\/log\/|\/logs?\//;

const isJson = (line: string): boolean => {
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
};

export const containerJsonLogs = defineCheck({
  id: 'container.json-logs',
  kind: 'docker',
  title: L('Logs are JSON lines on stdout', '日志是输出到 stdout 的 JSON 行'),
  params: z.object({ path: z.string().startsWith('/').default('/ping') }),
  measure: (ctx, params) => runAndRequest(ctx, params.path, true),
  judge: (m, params) => {
    if (!m.start.started) return notStarted(m.start);
    const { stdout, stderr } = m;
    const files = m.written.filter((path) => LOG_FILE.test(path));
    const measured = { stdoutLines: stdout.length, stderrLines: stderr.length, jsonLines: stdout.filter(isJson).length, logFiles: files.length };
    const fileNote = files.length
      ? L(
          ` The app wrote log files inside the container (${files.slice(0, 3).join(', ')}): containers should log to stdout, where docker logs and log collectors read.`,
          `应用在容器内写了日志文件（${files.slice(0, 3).join(', ')}）：容器应把日志写到 stdout，docker logs 和日志收集器从那里读取。`,
        )
      : L('', '');
    const bad = stdout.findIndex((line) => !isJson(line));
    if (bad !== -1) {
      const line = (stdout[bad] ?? '').slice(0, 200);
      return fail(L(`stdout line ${bad + 1} is not JSON: ${line}${fileNote.en}`, `stdout 第 ${bad + 1} 行不是 JSON：${line}${fileNote['zh-CN']}`), measured);
    }
    if (measured.jsonLines === 0) {
      const where = stderr.length ? L(` (${stderr.length} lines went to stderr)`, `（有 ${stderr.length} 行写到了 stderr）`) : L('', '');
      return fail(
        L(
          `No JSON log lines on stdout after GET ${params.path}${where.en}.${fileNote.en}`,
          `GET ${params.path} 之后 stdout 上没有 JSON 日志行${where['zh-CN']}。${fileNote['zh-CN']}`,
        ),
        measured,
      );
    }
    if (files.length)
      return fail(
        L(`stdout has ${measured.jsonLines} JSON lines, but${fileNote.en}`, `stdout 有 ${measured.jsonLines} 行 JSON，但是${fileNote['zh-CN']}`),
        measured,
      );
    const errNote = stderr.length ? L(` (${stderr.length} more on stderr)`, `（另有 ${stderr.length} 行在 stderr）`) : L('', '');
    return pass(
      L(`All ${measured.jsonLines} stdout lines are JSON${errNote.en}.`, `stdout 的 ${measured.jsonLines} 行全部是 JSON${errNote['zh-CN']}。`),
      measured,
    );
  },
});

export const containerNoDebugLogs = defineCheck({
  id: 'container.no-debug-logs',
  kind: 'docker',
  title: L('No Gin debug logs (release mode)', '没有 Gin 调试日志（release 模式）'),
  params: z.object({}),
  measure: (ctx) => runAndRequest(ctx, '/ping', false),
  judge: (m) => {
    if (!m.start.started) return notStarted(m.start);
    const lines = [...m.stdout, ...m.stderr];
    const debug = lines.filter((line) => line.includes('[GIN-debug]'));
    if (debug.length) {
      return fail(
        L(
          `${debug.length} [GIN-debug] lines in the logs, first: ${JSON.stringify(debug[0]?.slice(0, 160))}. Set ENV GIN_MODE=release in the final stage.`,
          `日志中有 ${debug.length} 行 [GIN-debug]，第一行：${JSON.stringify(debug[0]?.slice(0, 160))}。请在最终阶段设置 ENV GIN_MODE=release。`,
        ),
        { debugLines: debug.length },
      );
    }
    if (!m.running && !lines.length) {
      return skip(
        L(
          `Skipped: the container exited (exit ${m.exitCode}) without logging anything; see container.starts.`,
          `已跳过：容器退出了（退出码 ${m.exitCode}），没有输出任何日志；请看 container.starts。`,
        ),
      );
    }
    return pass(L(`No [GIN-debug] lines in ${lines.length} log lines.`, `${lines.length} 行日志中没有 [GIN-debug]。`), {
      debugLines: 0,
      logLines: lines.length,
    });
  },
});
