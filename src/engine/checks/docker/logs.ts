import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { s } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { defineCheck } from '../define.js';
import { fail, pass, skip } from '../outcome.js';
import type { DockerContext } from '../types.js';
import { appPort, notStarted } from './explain.js';
import { requestUntil, sleep } from './http-client.js';
import { jsonObject } from '../../util/json-object.js';
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
  /** The first lines of each written file (directories left out), copied out with docker cp. */
  readonly contents?: readonly WrittenFile[];
}

interface WrittenFile {
  readonly path: string;
  readonly bytes: number;
  /** The first non-empty lines, each cut to 300 characters. */
  readonly lines: readonly string[];
}

/** At most this many written files are read: a log sink is one file, the rest is noise. */
const MAX_READ = 20;

/** The head of each written file (a path that is the parent of another written path is a directory). */
const readWritten = async (ctx: DockerContext, id: string, written: readonly string[]): Promise<WrittenFile[]> => {
  const files = written.filter((path) => !written.some((other) => other.startsWith(`${path}/`))).slice(0, MAX_READ);
  const dir = await mkdtemp(joinPath(tmpdir(), 'learn-go-docker-written-'));
  const out: WrittenFile[] = [];
  try {
    for (const [i, path] of files.entries()) {
      const dest = joinPath(dir, String(i));
      try {
        await ctx.docker.copyFromContainer(id, path, dest);
        const handle = await open(dest, 'r');
        try {
          const { size } = await handle.stat();
          const buffer = Buffer.alloc(Math.min(size, 16 * 1024));
          await handle.read(buffer, 0, buffer.length, 0);
          const lines = buffer
            .toString('utf8')
            .split('\n')
            .map((line) => line.trim().slice(0, 300))
            .filter(Boolean)
            .slice(0, 5);
          out.push({ path, bytes: size, lines });
        } finally {
          await handle.close();
        }
      } catch {
        continue; // A directory, a socket or a file already gone: nothing to read.
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return out;
};

/** Starts the lesson image, makes one request so the app logs something, and reads what it wrote. */
const runAndRequest = async (ctx: DockerContext, path: string, readWrites: boolean): Promise<RunLogs> => {
  const { id: image, image: config } = await lessonImage(ctx);
  const port = appPort(config, ctx.port);
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
  const written = changed.filter((f) => f.kind !== 'D').map((f) => f.path);
  return {
    start,
    stdout: logs.stdout.split('\n').filter((line) => line.trim()),
    stderr: logs.stderr.split('\n').filter((line) => line.trim()),
    running: state.running,
    exitCode: state.exitCode,
    answered: Boolean(answer?.ok),
    written,
    ...(readWrites ? { contents: await readWritten(ctx, id, written) } : {}),
  };
};

const LOG_FILE = /\.log$|^\/var\/log\/|\/logs?\//;

/** A line a logger writes: slog/zap/logrus JSON, key=value, gin's access log, a timestamped line. */
const isLogLine = (line: string): boolean => {
  const value = jsonObject(line);
  if (value) {
    const keys = Object.keys(value).map((k) => k.toLowerCase());
    return keys.includes('msg') || keys.includes('message') || (keys.includes('level') && (keys.includes('time') || keys.includes('ts')));
  }
  return (
    /(^|\s)level=\w+/i.test(line) || /(^|\s)msg=/.test(line) || /^\[GIN(-debug)?\]/.test(line) || /^\d{4}[/-]\d{2}[/-]\d{2}[ T]\d{2}:\d{2}:\d{2}/.test(line)
  );
};

/** The written files that are log files: by name (.log, /var/log/, logs/), or by holding log lines. */
const logFilesOf = (m: RunLogs): { path: string; line?: string }[] => {
  const byContent = new Map((m.contents ?? []).map((f) => [f.path, f.lines.find(isLogLine)]));
  return m.written.flatMap((path) => {
    const line = byContent.get(path);
    return LOG_FILE.test(path) || line !== undefined ? [{ path, ...(line !== undefined ? { line } : {}) }] : [];
  });
};

const isJson = (line: string): boolean => jsonObject(line) !== undefined;

export const containerJsonLogs = defineCheck({
  id: 'container.json-logs',
  kind: 'docker',
  title: L('Logs are JSON lines on stdout', '日志是输出到 stdout 的 JSON 行'),
  params: s.object({ path: s.string().startsWith('/').default('/ping') }),
  measure: (ctx, params) => runAndRequest(ctx, params.path, true),
  judge: (m, params) => {
    if (!m.start.started) return notStarted(m.start);
    const { stdout, stderr } = m;
    const found = logFilesOf(m);
    const files = found.map((f) => f.path);
    const measured = { stdoutLines: stdout.length, stderrLines: stderr.length, jsonLines: stdout.filter(isJson).length, logFiles: files.length };
    const sample = found.find((f) => f.line !== undefined);
    const quoted = sample?.line
      ? L(
          `; ${sample.path} holds lines such as ${JSON.stringify(sample.line.slice(0, 160))}`,
          `；${sample.path} 中有这样的行：${JSON.stringify(sample.line.slice(0, 160))}`,
        )
      : L('', '');
    const fileNote = files.length
      ? L(
          ` The app wrote log files inside the container (docker diff: ${files.slice(0, 3).join(', ')}${quoted.en}): containers should log to stdout only, where docker logs and log collectors read. Remove the file writer (and any io.MultiWriter around it) so logOutput is os.Stdout.`,
          `应用在容器内写了日志文件（docker diff：${files.slice(0, 3).join(', ')}${quoted['zh-CN']}）：容器应只把日志写到 stdout，docker logs 和日志收集器从那里读取。请去掉写文件的部分（以及包着它的 io.MultiWriter），让 logOutput 就是 os.Stdout。`,
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
    const read = (m.contents ?? []).length;
    const diff = m.written.length
      ? L(
          ` docker diff: ${m.written.length} paths written (${m.written.slice(0, 3).join(', ')}), none of them a log file.`,
          `docker diff：写入了 ${m.written.length} 个路径（${m.written.slice(0, 3).join(', ')}），其中没有日志文件。`,
        )
      : L(' docker diff: no file written in the container.', 'docker diff：容器内没有写入任何文件。');
    const diffNote = m.contents === undefined ? L('', '') : diff;
    return pass(
      L(
        `All ${measured.jsonLines} stdout lines are JSON${errNote.en}.${diffNote.en}`,
        `stdout 的 ${measured.jsonLines} 行全部是 JSON${errNote['zh-CN']}。${diffNote['zh-CN']}`,
      ),
      { ...measured, filesRead: read },
    );
  },
});

export const containerNoDebugLogs = defineCheck({
  id: 'container.no-debug-logs',
  kind: 'docker',
  title: L('No Gin debug logs (release mode)', '没有 Gin 调试日志（release 模式）'),
  params: s.object({}),
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
          `Skipped: the container exited (exit ${m.exitCode}) without logging anything: why it exits is what to fix first.`,
          `已跳过：容器退出了（退出码 ${m.exitCode}），没有输出任何日志：先解决它为什么退出。`,
        ),
      );
    }
    return pass(L(`No [GIN-debug] lines in ${lines.length} log lines.`, `${lines.length} 行日志中没有 [GIN-debug]。`), {
      debugLines: 0,
      logLines: lines.length,
    });
  },
});
