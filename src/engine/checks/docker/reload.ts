import { s } from '../../util/schema.js';
import { L, type Localized } from '../../i18n.js';
import { defineCheck } from '../define.js';
import { fail, join, pass, quoteLines, secs, secsZh } from '../outcome.js';
import type { DockerContext } from '../types.js';
import { notStarted } from './explain.js';
import { httpRequest, sleep } from './http-client.js';
import { copyTextInto, neverReady, runUntilReady, type Started } from './measure.js';

/**
 * container.reload: the app applies a new configuration file on SIGHUP without a restart. The runner
 * starts the image with CONFIG_FILE pointing into the container, copies in a file that turns
 * maintenance mode on (writes answer 503) and the log level to warn, sends SIGHUP, and watches: the
 * same container (same start time) must refuse writes, still serve reads, and stop logging INFO
 * request lines. Then it copies in a file that does not parse and sends SIGHUP again: the app must
 * keep running with the last good configuration.
 */

export interface ReloadMeasurement {
  readonly start: Started;
  readonly notUp?: string;
  /** POST answered before any reload (201 expected). */
  readonly postBefore?: number | null;
  /** After the good file and SIGHUP. */
  readonly afterGood?: {
    readonly running: boolean;
    readonly exitCode: number | null;
    readonly restarted: boolean;
    /** POST status once it settled (or at the deadline), and how long after the signal. */
    readonly post: number | null;
    readonly postSeconds: number;
    readonly get: number | null;
    /** INFO request lines of the ping path logged before the reload and after it. */
    readonly pingLinesBefore: number;
    readonly pingLinesAfter: number;
  };
  /** After the broken file and SIGHUP. */
  readonly afterBroken?: { readonly running: boolean; readonly exitCode: number | null; readonly restarted: boolean; readonly post: number | null };
  /** After a good file with maintenance off and SIGHUP again: reloads still work (201 expected). */
  readonly afterRecover?: {
    readonly running: boolean;
    readonly post: number | null;
    /** INFO lines of the ping path after this reload: its file leaves log_level out, so warn must still hold. */
    readonly pingLinesBefore?: number;
    readonly pingLinesAfter?: number;
  };
  /** The app's last log lines, when something went wrong. */
  readonly logTail?: readonly string[];
}

const GOOD = '{"maintenance": true, "log_level": "warn"}\n';
const BROKEN = '{"maintenance": fa\n';
const RECOVER = '{"maintenance": false}\n';
const PING = '/ping';

const pingLines = (stdout: string): number =>
  stdout.split('\n').filter((line) => {
    try {
      const entry = JSON.parse(line) as Record<string, unknown>;
      return entry.path === PING && entry.level === 'INFO';
    } catch {
      return false;
    }
  }).length;

const measureReload = async (ctx: DockerContext, params: { configFile: string; path: string }): Promise<ReloadMeasurement> => {
  const app = await runUntilReady(ctx, { env: { CONFIG_FILE: params.configFile } });
  if (!('hostPort' in app)) return app;
  const { start, hostPort } = app;
  const status = async (method: 'GET' | 'POST', path: string) => {
    const a = await httpRequest({ port: hostPort, path, method, body: method === 'POST' ? '{"title":"reload check"}' : undefined, timeoutMs: 3_000 });
    return a.ok ? a.answer.status : null;
  };
  const startedAt = (await ctx.docker.inspectContainer(start.id)).startedAt;
  // INFO lines of the ping path so far, and after one more ping (its line is written once it is answered).
  const pingsLogged = async () => pingLines((await ctx.docker.logs(start.id)).stdout);
  const pingThenCount = async () => {
    await status('GET', PING);
    await sleep(150, ctx.signal);
    return pingsLogged();
  };
  const postBefore = await status('POST', params.path);
  const pingLinesBefore = await pingThenCount();

  const send = async (content: string) => {
    await copyTextInto(ctx, start.id, content, params.configFile);
    await ctx.docker.signalContainer(start.id, 'SIGHUP');
  };
  const state = async () => {
    const s = await ctx.docker.inspectContainer(start.id);
    return { running: s.running, exitCode: s.running ? null : s.exitCode, restarted: s.startedAt !== startedAt };
  };

  await send(GOOD);
  const signalled = Date.now();
  let post = await status('POST', params.path);
  while (post !== 503 && Date.now() - signalled < 3_000 && !ctx.signal.aborted) {
    if (!(await ctx.docker.inspectContainer(start.id)).running) break;
    await sleep(100, ctx.signal);
    post = await status('POST', params.path);
  }
  const postSeconds = (Date.now() - signalled) / 1000;
  const get = await status('GET', params.path);
  const pingLinesAfter = await pingThenCount();
  const afterGood = { ...(await state()), post, postSeconds: Number(postSeconds.toFixed(2)), get, pingLinesBefore, pingLinesAfter };
  if (!afterGood.running) return { start, postBefore, afterGood, logTail: await tail(ctx, start.id) };

  await send(BROKEN);
  await sleep(500, ctx.signal);
  const afterBroken = { ...(await state()), post: await status('POST', params.path) };
  // A reload that rejected the broken file must still take the next good one.
  let afterRecover: ReloadMeasurement['afterRecover'];
  if (afterBroken.running) {
    await send(RECOVER);
    const resent = Date.now();
    let post = await status('POST', params.path);
    while (post !== 201 && Date.now() - resent < 3_000 && !ctx.signal.aborted) {
      await sleep(100, ctx.signal);
      post = await status('POST', params.path);
    }
    // The file says nothing of log_level: read over the current configuration, warn still holds.
    const linesBefore = await pingsLogged();
    const linesAfter = await pingThenCount();
    afterRecover = { running: (await ctx.docker.inspectContainer(start.id)).running, post, pingLinesBefore: linesBefore, pingLinesAfter: linesAfter };
  }
  const wrong = !afterBroken.running || afterBroken.post !== 503 || afterGood.post !== 503 || afterRecover?.post !== 201;
  return { start, postBefore, afterGood, afterBroken, afterRecover, ...(wrong ? { logTail: await tail(ctx, start.id) } : {}) };
};

const tail = async (ctx: DockerContext, id: string): Promise<string[]> => {
  const logs = await ctx.docker.logs(id);
  return `${logs.stdout}\n${logs.stderr}`
    .split('\n')
    .filter((l) => l.trim())
    .slice(-3)
    .map((l) => (l.length > 200 ? `${l.slice(0, 200)}…` : l));
};

const died = (when: Localized, exitCode: number | null, lines: readonly string[]): Localized =>
  L(
    `${when.en} the app exited (exit code ${exitCode}): a Go program that does not catch SIGHUP ends on it. Catch it with signal.Notify(ch, syscall.SIGHUP) and reload in a loop.${quoteLines([...lines])}`,
    `${when['zh-CN']}应用退出了（退出码 ${exitCode}）：没有捕获 SIGHUP 的 Go 程序收到它就会结束。用 signal.Notify(ch, syscall.SIGHUP) 捕获它，并在循环中重新加载。${quoteLines([...lines])}`,
  );

export const containerReload = defineCheck({
  id: 'container.reload',
  kind: 'docker',
  title: L('The app reloads its configuration without a restart', '应用无需重启即可重新加载配置'),
  params: s.object({
    /** Where the runner copies the file in the container (CONFIG_FILE). */
    configFile: s.string().default('/tmp/notes-config.json'),
    /** A write path that maintenance mode refuses, and a read path it serves. */
    path: s.string().default('/api/v1/notes'),
  }),
  measure: (ctx, params) => measureReload(ctx, params),
  judge: (m, params) => {
    if (!m.start.started) return notStarted(m.start);
    if (m.notUp !== undefined || !m.afterGood)
      return fail(neverReady(m.notUp, '/health', L('the app must run before it can reload.', '应用要先运行起来，才谈得上重新加载。')));
    const good = m.afterGood;
    const lines = m.logTail ?? [];
    const measured = {
      postBefore: m.postBefore ?? null,
      postAfterReload: good.post,
      reloadSeconds: good.postSeconds,
      restarted: good.restarted || Boolean(m.afterBroken?.restarted),
      keptAfterBrokenFile: m.afterBroken ? m.afterBroken.running && m.afterBroken.post === 503 : false,
    };
    if (m.postBefore !== 201) {
      return fail(
        L(
          `POST ${params.path} answered ${m.postBefore ?? 'nothing'} before any reload (expected 201): the app must accept writes before maintenance mode can be measured.`,
          `在任何重新加载之前，POST ${params.path} 返回了 ${m.postBefore ?? '空'}（期望 201）：应用要先能接受写入，才能测量维护模式。`,
        ),
        measured,
      );
    }
    if (!good.running) return fail(died(L('After docker kill -s HUP', '执行 docker kill -s HUP 之后，'), good.exitCode, lines), measured);
    const problems: Localized[] = [];
    if (good.restarted) {
      problems.push(
        L(
          'The container restarted after SIGHUP: a reload must keep the process, its connections and its caches.',
          '收到 SIGHUP 后容器重启了：重新加载必须保留进程、它的连接和缓存。',
        ),
      );
    }
    if (good.post !== 503) {
      problems.push(
        L(
          `${secs(good.postSeconds)} after SIGHUP with {"maintenance": true} in the file, POST ${params.path} still answered ${good.post ?? 'nothing'}, not 503: read the file again on the signal and apply it (settings.SetMaintenance).`,
          `文件中写着 {"maintenance": true}，发送 SIGHUP ${secsZh(good.postSeconds)} 后，POST ${params.path} 仍然返回 ${good.post ?? '空'}，而不是 503：收到信号时要重新读取文件并应用它（settings.SetMaintenance）。`,
        ),
      );
    } else if (good.get !== 200) {
      problems.push(
        L(
          `In maintenance mode GET ${params.path} answered ${good.get ?? 'nothing'}: reads must still work.`,
          `维护模式下 GET ${params.path} 返回了 ${good.get ?? '空'}：读取必须仍然可用。`,
        ),
      );
    }
    if (good.pingLinesAfter > good.pingLinesBefore) {
      problems.push(
        L(
          `After SIGHUP with {"log_level": "warn"}, GET ${PING} was still logged at INFO: apply the new level too (level.Set).`,
          `文件中写着 {"log_level": "warn"}，发送 SIGHUP 后 GET ${PING} 仍以 INFO 级别记录：新的日志级别也要应用（level.Set）。`,
        ),
      );
    }
    const broken = m.afterBroken;
    if (broken && !broken.running) {
      problems.push(
        L(
          `A file that does not parse, then SIGHUP, ended the app (exit code ${broken.exitCode}): log the error and keep the configuration that worked.${quoteLines([...lines])}`,
          `一个无法解析的文件加上 SIGHUP 让应用退出了（退出码 ${broken.exitCode}）：记录错误，保留之前可用的配置。${quoteLines([...lines])}`,
        ),
      );
    } else if (broken && good.post === 503 && broken.post !== 503) {
      problems.push(
        L(
          `A file that does not parse, then SIGHUP, turned maintenance off again (POST answered ${broken.post ?? 'nothing'}): a broken file must not reset the configuration; keep the last one that worked.`,
          `一个无法解析的文件加上 SIGHUP 又关闭了维护模式（POST 返回了 ${broken.post ?? '空'}）：坏文件不能重置配置；要保留最后一个可用的配置。`,
        ),
      );
    }
    const recover = m.afterRecover;
    if (broken?.running && broken.post === 503 && recover && !recover.running) {
      problems.push(
        L(
          `After the broken file, the next SIGHUP (with a good file) ended the app: the reload loop had returned, and without it a Go program exits on SIGHUP. Log a bad file and keep waiting for the next signal (continue, not return).`,
          `在坏文件之后，下一次 SIGHUP（带着正确的文件）让应用退出了：重新加载的循环已经返回，没有它，Go 程序收到 SIGHUP 就会退出。遇到坏文件要记录日志，然后继续等待下一个信号（用 continue，而不是 return）。`,
        ),
      );
    } else if (broken?.running && broken.post === 503 && recover && recover.post !== 201) {
      problems.push(
        L(
          `After the broken file, a good one with {"maintenance": false} and SIGHUP left POST at ${recover.post ?? 'nothing'} for 3 s: the reload stopped listening. Log a bad file and keep waiting for the next signal (continue, not return).`,
          `在坏文件之后，又发送了一个 {"maintenance": false} 的正确文件和 SIGHUP，3 秒内 POST 仍然是 ${recover.post ?? '空'}：重新加载已经不再监听信号了。遇到坏文件要记录日志，然后继续等待下一个信号（用 continue，而不是 return）。`,
        ),
      );
    }
    if (recover?.post === 201 && good.pingLinesAfter <= good.pingLinesBefore && (recover.pingLinesAfter ?? 0) > (recover.pingLinesBefore ?? 0)) {
      problems.push(
        L(
          `After the last reload, whose file had only {"maintenance": false}, GET ${PING} was logged at INFO again: the level "warn" from the first reload was lost. Keep each reload's result as current and read the next file over it (config.LoadRuntime(path, current)), so a key the file leaves out keeps its value.`,
          `最后一次重新加载的文件只有 {"maintenance": false}，之后 GET ${PING} 又以 INFO 级别记录了：第一次重新加载设置的 "warn" 丢了。要把每次重新加载的结果保存为 current，下一个文件在它之上读取（config.LoadRuntime(path, current)），文件里没写的键才会保持原值。`,
        ),
      );
    }
    if (problems.length) return fail(join(...problems), measured);
    return pass(
      L(
        `After SIGHUP, the same container (never restarted) refused writes with 503 within ${secs(good.postSeconds)} while GET ${params.path} answered 200, and stopped logging INFO lines; a file that does not parse left it running with the last good configuration, and the next good file turned maintenance off again while the level stayed warn.`,
        `收到 SIGHUP 后，同一个容器（从未重启）在 ${secsZh(good.postSeconds)} 内开始以 503 拒绝写入，同时 GET ${params.path} 返回 200，并且不再记录 INFO 日志；一个无法解析的文件没有让它退出，它继续使用最后一个可用的配置，下一个正确的文件又关闭了维护模式，日志级别仍然是 warn。`,
      ),
      measured,
    );
  },
});
