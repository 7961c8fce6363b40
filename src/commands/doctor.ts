import { L, runDoctorReport, type DoctorItem, type DoctorReport, type Lang } from '../engine/index.js';
import type { CommandContext } from './context.js';
import { colonFor, paint } from './format.js';

const MARK: Record<DoctorItem['status'], string> = { ok: '✔', warn: '!', fail: '✖' };
const COLOR: Record<DoctorItem['status'], number> = { ok: 32, warn: 33, fail: 31 };

/** Plain-text report (one line per item, the fix indented below), coloured the way every command is. */
export const formatDoctor = (report: DoctorReport, lang: Lang, color = false): string => {
  const lines = report.items
    .filter((item) => !(item.quiet && item.status === 'ok'))
    .map((item) => {
      const head = `${paint(MARK[item.status], COLOR[item.status], color)} ${item.title[lang]}${colonFor(lang)}${item.message[lang]}`;
      return item.fix && item.status !== 'ok' ? `${head}\n    → ${item.fix[lang]}` : head;
    });
  const summary = report.blocking
    ? L('Something above blocks the lessons: fix the ✖ items first.', '上面有问题会阻碍课程进行：请先修复标 ✖ 的项目。')
    : L('Nothing blocks the lessons.', '没有阻碍课程进行的问题。');
  return [...lines, '', paint(summary[lang], COLOR[report.blocking ? 'fail' : 'ok'], color)].join('\n');
};

/** `doctor [--json]`: exit 1 when something blocks the lessons. */
export const doctorCommand = async (ctx: CommandContext, options: { dir?: string; json: boolean }): Promise<number> => {
  const report = await runDoctorReport(ctx.signal);
  if (options.json) ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else ctx.stdout.write(`${formatDoctor(report, ctx.lang, ctx.color)}\n`);
  return report.blocking ? 1 : 0;
};
