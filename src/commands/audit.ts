import { basename, relative } from 'node:path';
import { L, UserError, auditRepository, tr, type AuditItem, type AuditReport, type AuditStatus, type Lang, type Localized } from '../engine/index.js';
import { say, sayErr, type CommandContext } from './context.js';
import { bold, formatCheck, paint } from './format.js';
import { progressPrinter } from './progress-printer.js';

export interface AuditCommandOptions {
  readonly dir?: string;
  readonly dockerfile?: string;
  readonly target?: string;
  readonly port?: string;
  readonly path?: string;
  readonly json: boolean;
  readonly md: boolean;
}

const usage = (en: string, zh: string): UserError =>
  new UserError(L(en, zh), { next: L('See: npx learn-go-docker audit --help', '查看帮助：npx learn-go-docker audit --help') });

const portNumber = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535))
    throw usage(`--port must be a port number from 1 to 65535, not "${text}".`, `--port 必须是 1 到 65535 之间的端口号，而不是 "${text}"。`);
  return port;
};

/** The JSON of `audit --json` (schema learn-go-docker/audit, version 1: docs/ARCHITECTURE.md, "Audit"), in the chosen language. */
export const auditJson = (report: AuditReport, lang: Lang): unknown => ({
  schema: report.schema,
  version: report.version,
  tool: report.tool,
  repo: report.repo,
  dockerfile: report.dockerfile,
  target: report.target,
  port: report.port,
  healthPath: report.healthPath,
  mode: report.mode,
  staticBecause: report.staticBecause,
  notices: report.notices.map((n) => tr(n, lang)),
  summary: report.summary,
  items: report.items.map((item) => ({
    id: item.id,
    title: tr(item.title, lang),
    status: item.status,
    message: tr(item.message, lang),
    line: item.line ?? null,
    measured: item.measured ?? {},
    lesson: { number: item.lesson.number, id: item.lesson.id, title: tr(item.lesson.title, lang) },
  })),
});

/** Where the lessons are: a lesson is opened in the tutorial's workspace, not in the audited repository. */
const TUTORIAL = L(
  'The lessons are in the tutorial: npx learn-go-docker init creates its workspace; there, npx learn-go-docker goto N opens lesson N.',
  '这些课程在教程里：npx learn-go-docker init 会创建教程工作区；在工作区里，npx learn-go-docker goto N 打开第 N 课。',
);

const MD_ICON: Record<AuditStatus, string> = { pass: '✅', fail: '❌', unknown: '❔' };

/** Text safe inside a Markdown table cell: one line, no pipe breaking the row. */
const cell = (text: string): string =>
  text
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ')
    .trim();

/** The first sentence of a message (what was measured), for the table; the rest is under "What to change". */
const firstSentence = (text: string): string => {
  const line = text.split('\n')[0] ?? '';
  return /^(.+?[.。])(?:\s|$)/.exec(line)?.[1] ?? line;
};

/** Where a value came from, as the learner wrote it: the flag or the Dockerfile instruction. */
const SOURCE: Record<'flag' | 'expose' | 'healthcheck', (flag: string) => Localized> = {
  flag: (flag) => L(`from ${flag}`, `来自 ${flag}`),
  expose: () => L('from EXPOSE', '来自 EXPOSE'),
  healthcheck: () => L('from the HEALTHCHECK', '来自 HEALTHCHECK'),
};

const whereFrom = (report: AuditReport): Localized => {
  const portFrom = report.port ? SOURCE[report.port.from]('--port') : undefined;
  const pathFrom = report.healthPath ? SOURCE[report.healthPath.from]('--path') : undefined;
  const port =
    report.port && portFrom
      ? L(`port ${report.port.value} (${portFrom.en})`, `端口 ${report.port.value}（${portFrom['zh-CN']}）`)
      : L('port unknown', '端口未知');
  const path =
    report.healthPath && pathFrom
      ? L(`health path ${report.healthPath.value} (${pathFrom.en})`, `健康检查路径 ${report.healthPath.value}（${pathFrom['zh-CN']}）`)
      : L('no health path', '没有健康检查路径');
  const target = report.target ? L(` · target ${report.target}`, ` · 目标阶段 ${report.target}`) : L('', '');
  return L(`${report.dockerfile}${target.en} · ${port.en} · ${path.en}`, `${report.dockerfile}${target['zh-CN']} · ${port['zh-CN']} · ${path['zh-CN']}`);
};

const lessonRef = (item: AuditItem): Localized =>
  item.lesson.number ? L(`lesson ${item.lesson.number}: ${item.lesson.title.en}`, `第 ${item.lesson.number} 课：${item.lesson.title['zh-CN']}`) : L('', '');

const summaryLine = (report: AuditReport): Localized => {
  const { pass, fail, unknown } = report.summary;
  return L(`${pass} passed, ${fail} failed, ${unknown} unknown.`, `通过 ${pass} 项，失败 ${fail} 项，未知 ${unknown} 项。`);
};

/** A report a learner pastes into a pull request: a table of verdicts, then what to change for each failure. */
export const auditMarkdown = (report: AuditReport, lang: Lang): string => {
  const t = (l: Localized) => tr(l, lang);
  const out: string[] = [];
  out.push(t(L(`## Production scorecard: \`${basename(report.repo)}\``, `## 生产评分卡：\`${basename(report.repo)}\``)), '');
  out.push(`${t(whereFrom(report))} · learn-go-docker ${report.tool}`, '');
  for (const notice of report.notices) out.push(`> ${cell(t(notice))}`, '');
  out.push(t(L('| | Check | Measured | Taught in |', '| | 检查 | 测量结果 | 对应课程 |')), '|---|---|---|---|');
  for (const item of report.items) {
    out.push(`| ${MD_ICON[item.status]} | ${cell(t(item.title))} | ${cell(firstSentence(t(item.message)))} | ${cell(t(lessonRef(item)))} |`);
  }
  out.push('', `**${t(summaryLine(report))}**`);
  const open = report.items.filter((i) => i.status !== 'pass');
  if (open.length) {
    out.push('', t(L('### What to change', '### 需要修改的地方')), '');
    for (const item of open) {
      const where = item.line !== undefined ? t(L(` (line ${item.line})`, `（第 ${item.line} 行）`)) : '';
      const goto = item.lesson.number ? ` ${t(L(`(Lesson ${item.lesson.number}.)`, `（第 ${item.lesson.number} 课。）`))}` : '';
      // The message's first line in the bullet; a chart or quoted build output below it, as it is.
      const [head = '', ...rest] = t(item.message).split('\n');
      out.push(`- ${MD_ICON[item.status]} **${cell(t(item.title))}** \`${item.id}\`${where}: ${cell(head)}${goto}`);
      const block = rest.filter((l) => l.trim() !== '');
      if (block.length) out.push('', '  ```', ...block.map((l) => `  ${l.replace(/```/g, "'''")}`), '  ```', '');
    }
    out.push('', t(TUTORIAL));
  }
  return `${out.join('\n')}\n`;
};

const TEXT_STATUS = { pass: 'pass', fail: 'fail', unknown: 'unknown' } as const;

/**
 * `audit [DIR] [--dockerfile PATH] [--target STAGE] [--port N] [--path /health] [--json|--md]`.
 * Exit 0 when nothing failed (unknowns are said, not counted), 1 when an item failed, 2 when audit
 * could not run (no Dockerfile, a bad flag) or could not reach Docker for a Go service.
 */
export const auditCommand = async (ctx: CommandContext, options: AuditCommandOptions): Promise<number> => {
  if (options.json && options.md) throw usage('Choose one of --json and --md.', '--json 和 --md 只能选一个。');
  const port = portNumber(options.port);
  const printer = (options.json || options.md) && !ctx.interactive ? undefined : progressPrinter(ctx);
  const report = await auditRepository({
    dir: options.dir ?? ctx.cwd,
    ...(options.dockerfile !== undefined ? { dockerfile: options.dockerfile } : {}),
    ...(options.target !== undefined ? { target: options.target } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(options.path !== undefined ? { path: options.path } : {}),
    signal: ctx.signal,
    ...(printer ? { onProgress: printer.onProgress } : {}),
  }).finally(() => printer?.stop());
  if (ctx.signal.aborted) {
    sayErr(ctx, L('Cancelled: everything audit started was removed.', '已取消：audit 启动的一切都已删除。'));
    return 130;
  }
  // Without Docker a Go service was not measured at all: that is not a pass a script may trust.
  const exit = report.summary.fail > 0 ? 1 : report.staticBecause === 'no-docker' ? 2 : 0;
  if (options.json) {
    ctx.stdout.write(`${JSON.stringify(auditJson(report, ctx.lang), null, 2)}\n`);
    return exit;
  }
  if (options.md) {
    ctx.stdout.write(auditMarkdown(report, ctx.lang));
    return exit;
  }
  const shown = relative(ctx.cwd, report.repo) || basename(report.repo);
  say(ctx, bold(tr(L(`Production scorecard: ${shown}`, `生产评分卡：${shown}`), ctx.lang), ctx.color));
  say(ctx, paint(`  ${tr(whereFrom(report), ctx.lang)}`, 90, ctx.color));
  for (const notice of report.notices) say(ctx, paint(`  ${tr(notice, ctx.lang)}`, 33, ctx.color));
  say(ctx, '');
  for (const item of report.items) {
    const title = item.lesson.number
      ? L(`${item.title.en} (lesson ${item.lesson.number})`, `${item.title['zh-CN']}（第 ${item.lesson.number} 课）`)
      : item.title;
    say(
      ctx,
      formatCheck(
        {
          id: item.id,
          title,
          kind: 'docker',
          status: TEXT_STATUS[item.status],
          message: item.message,
          ...(item.line !== undefined ? { line: item.line } : {}),
        },
        ctx.lang,
        ctx.color,
      ),
    );
  }
  say(ctx, '');
  say(ctx, summaryLine(report));
  const failed = report.items.filter((i) => i.status === 'fail' && i.lesson.number);
  const first = failed[0];
  if (first) {
    say(
      ctx,
      L(
        `Each ✗ says what to change; its title names the lesson that teaches it (the first: lesson ${first.lesson.number}).`,
        `每个 ✗ 下面都写了该改什么；标题里写了讲授它的课程（第一个：第 ${first.lesson.number} 课）。`,
      ),
    );
  }
  if (first) say(ctx, TUTORIAL);
  const again = options.dir === undefined ? '' : ` ${/\s/.test(options.dir) ? JSON.stringify(options.dir) : options.dir}`;
  say(
    ctx,
    L(`For a pull request: npx learn-go-docker audit${again} --md > scorecard.md`, `用于拉取请求：npx learn-go-docker audit${again} --md > scorecard.md`),
  );
  return exit;
};
