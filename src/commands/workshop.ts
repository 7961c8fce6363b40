import { resolve } from 'node:path';
import {
  L,
  UserError,
  formatWorkshopRoom,
  readWorkshopLearner,
  readWorkshopRoom,
  startWorkshop,
  tr,
  workshopQrText,
  type Localized,
  type WorkshopServer,
} from '../engine/index.js';
import { say, sayErr, type CommandContext } from './context.js';
import { bold } from './format.js';
import { loadUi } from './load-ui.js';
import { roomTable } from './workshop-table.js';
import { defaultRoomDir } from './room-dir.js';

export interface WorkshopCommandOptions {
  readonly action: string | undefined;
  readonly dir?: string;
  readonly host?: string;
  readonly port?: string;
  readonly md: boolean;
  readonly csv: boolean;
  readonly json: boolean;
}

export const DEFAULT_PORT = 8787;
/** How often the live table is looked at; it is printed only when it changed (the minutes tick). */
const REFRESH_MS = 5000;
/** Events that arrive together (a laptop replaying its queue) print one table. */
const SETTLE_MS = 300;

const portOf = (text: string | undefined): number => {
  if (text === undefined) return DEFAULT_PORT;
  const port = Number(text);
  // 0 asks the system for any free port (the exact one is printed).
  if (!/^\d+$/.test(text) || port > 65535)
    throw new UserError(L(`--port must be a number from 0 to 65535, not "${text}".`, `--port 必须是 0 到 65535 之间的数字，而不是 "${text}"。`));
  return port;
};

/** The command a learner types; the QR code holds it too (without --name: join asks the system for one). */
const joinCommand = (url: string, code: string): string => `npx learn-go-docker join ${url} ${code}`;

const serve = async (ctx: CommandContext, options: WorkshopCommandOptions): Promise<number> => {
  const dir = resolve(ctx.cwd, options.dir ?? defaultRoomDir(new Date()));
  // The live view needs both ends to be a terminal (keys in raw mode); otherwise the plain table,
  // which a pipe, a file or a CI log can hold. Its module loads while the server starts.
  const ui = ctx.interactive ? loadUi() : undefined;
  // Awaited only after the server is up: a failed load must not surface as an unhandled rejection meanwhile.
  ui?.catch(() => undefined);
  const server = await startWorkshop({
    dir,
    port: portOf(options.port),
    signal: ctx.signal,
    onFillingModules: () =>
      say(
        ctx,
        L(
          'Filling the room’s Go module proxy with the sample app’s modules (once per room folder)…',
          '正在用示例应用的模块填充房间的 Go 模块代理（每个房间文件夹一次）……',
        ),
      ),
    ...(options.host !== undefined ? { host: options.host } : {}),
  });
  const join = `${joinCommand(server.url, server.code)} --name "…"`;
  const qr = await workshopQrText(joinCommand(server.url, server.code));
  say(ctx, bold(tr(L(`Workshop server on ${server.url}`, `工作坊服务器：${server.url}`), ctx.lang), ctx.color));
  say(ctx, bold(tr(L(`Join code: ${server.code}`, `加入码：${server.code}`), ctx.lang), ctx.color));
  say(ctx, L(`Learners type, in their workspace:\n  ${join}`, `学员在自己的工作区里输入：\n  ${join}`));
  // Half blocks, light modules drawn: black on white on a dark terminal; phones read it inverted on a light one too.
  say(ctx, L(`Or scan this code to copy the command (join code ${server.code}):`, `或扫描二维码复制命令（加入码 ${server.code}）：`));
  say(ctx, qr.join('\n'));
  say(ctx, L(`The room is kept in ${dir} (${server.replayed} events read back).`, `房间记录保存在 ${dir}（已读回 ${server.replayed} 个事件）。`));
  if (server.skipped > 0) sayErr(ctx, L(`${server.skipped} unreadable lines of the log were skipped.`, `日志中有 ${server.skipped} 行无法读取，已跳过。`));
  say(ctx, roomProxyLine(server));
  say(
    ctx,
    L(
      `Room as JSON (the token is in a file, not on this screen): curl -H "Authorization: Bearer $(cat ${server.tokenFile})" ${server.url}/v1/room`,
      `房间 JSON（令牌保存在文件中，不显示在屏幕上）：curl -H "Authorization: Bearer $(cat ${server.tokenFile})" ${server.url}/v1/room`,
    ),
  );
  say(
    ctx,
    ui
      ? L(
          'q or Ctrl-C stops the server. Help requests with their Dockerfiles: npx learn-go-docker workshop export --md',
          'q 或 Ctrl-C 停止服务器。查看求助及其 Dockerfile：npx learn-go-docker workshop export --md',
        )
      : L(
          'Ctrl-C stops the server. Help requests with their Dockerfiles: npx learn-go-docker workshop export --md',
          'Ctrl-C 停止服务器。查看求助及其 Dockerfile：npx learn-go-docker workshop export --md',
        ),
  );
  say(ctx, '');

  let ended: 'quit' | 'interrupted' | undefined;
  try {
    if (ui) ended = await live(ctx, server, dir, { url: server.url, code: server.code, command: joinCommand(server.url, server.code), qr }, await ui);
    else await plain(ctx, server);
  } finally {
    // Every way out closes the server: connections ended, the log's last line on disk.
    await server.close();
  }
  say(ctx, L(`Stopped. Start again with the same --dir to continue the room: ${dir}`, `已停止。用相同的 --dir 再次启动即可继续：${dir}`));
  return ended === 'interrupted' ? 130 : 0;
};

/**
 * One line on the room's Go module proxy: where it is and how many modules it holds, or that it is
 * off and why (the room works either way; learners' builds then fetch as they would at home).
 */
const roomProxyLine = (server: Awaited<ReturnType<typeof startWorkshop>>): Localized => {
  const modules = server.roomModules;
  if (!modules.ok || !server.goproxy) {
    const reason = modules.ok ? L('not served', '未提供') : modules.reason;
    return L(`Room Go module proxy off: ${reason.en}.`, `房间 Go 模块代理已关闭：${reason['zh-CN']}。`);
  }
  return L(
    `Room Go module proxy: ${server.goproxy} (${modules.modules} modules of the sample app): joined laptops' lesson builds fetch from it first, then from their usual proxy.`,
    `房间 Go 模块代理：${server.goproxy}（示例应用的 ${modules.modules} 个模块）：已加入的电脑构建课程时先从这里获取，再使用它们平常的代理。`,
  );
};

type Ui = Awaited<ReturnType<typeof loadUi>>;

/** The Ink view until q, Ctrl-C or a signal. */
const live = async (ctx: CommandContext, server: WorkshopServer, dir: string, join: Parameters<Ui['runWorkshopUi']>[0]['join'], ui: Ui) =>
  ui.runWorkshopUi({
    source: server,
    join,
    lang: ctx.lang,
    loadDetail: (learnerId, room) => readWorkshopLearner(dir, learnerId, room),
    signal: ctx.signal,
  });

/** The plain table, printed again when it changes, until the command is interrupted. */
const plain = async (ctx: CommandContext, server: WorkshopServer): Promise<void> => {
  let last = '';
  const print = (): void => {
    const table = roomTable(server.room(), ctx.lang);
    // The time in the first line changes every tick: compare what follows it.
    const body = table.slice(table.indexOf('\n'));
    if (body === last) return;
    last = body;
    ctx.stdout.write(`${table}\n`);
  };
  print();
  let pending: NodeJS.Timeout | undefined;
  const off = server.onEvent(() => {
    pending ??= setTimeout(() => {
      pending = undefined;
      print();
    }, SETTLE_MS);
  });
  const tick = setInterval(print, REFRESH_MS);
  try {
    await new Promise<void>((done) => {
      if (ctx.signal.aborted) done();
      ctx.signal.addEventListener('abort', () => done(), { once: true });
    });
  } finally {
    off();
    clearInterval(tick);
    if (pending) clearTimeout(pending);
  }
};

const exportRoom = async (ctx: CommandContext, options: WorkshopCommandOptions): Promise<number> => {
  if ([options.md, options.csv, options.json].filter(Boolean).length > 1)
    throw new UserError(L('Choose one of --md, --csv and --json.', '--md、--csv 和 --json 只能选一个。'));
  const dir = resolve(ctx.cwd, options.dir ?? defaultRoomDir(new Date()));
  const { room, events, skipped } = await readWorkshopRoom(dir);
  if (events === 0)
    throw new UserError(L(`No workshop events in ${dir}.`, `${dir} 中没有工作坊事件。`), {
      next: L(
        'Name the folder the server used: npx learn-go-docker workshop export --dir workshop-2026-11-29',
        '指定服务器使用的文件夹：npx learn-go-docker workshop export --dir workshop-2026-11-29',
      ),
    });
  if (skipped > 0) sayErr(ctx, L(`${skipped} unreadable lines of the log were skipped.`, `日志中有 ${skipped} 行无法读取，已跳过。`));
  if (options.json) ctx.stdout.write(`${JSON.stringify(room, null, 2)}\n`);
  else if (options.csv) ctx.stdout.write(await formatWorkshopRoom(room, 'csv'));
  else if (options.md) ctx.stdout.write(await formatWorkshopRoom(room, 'md', ctx.lang));
  else ctx.stdout.write(roomTable(room, ctx.lang));
  return 0;
};

/** `workshop serve` and `workshop export` (`workshop allow` is dispatched to workshop-allow.ts). */
export const workshopCommand = async (ctx: CommandContext, options: WorkshopCommandOptions): Promise<number> => {
  if (options.action === 'serve') return serve(ctx, options);
  if (options.action === 'export') return exportRoom(ctx, options);
  throw new UserError(
    L(
      `workshop needs serve, export or allow${options.action ? `, not "${options.action}"` : ''}.`,
      `workshop 需要 serve、export 或 allow${options.action ? `，而不是 "${options.action}"` : ''}。`,
    ),
    { next: L('Start the room: npx learn-go-docker workshop serve', '开启房间：npx learn-go-docker workshop serve') },
  );
};
