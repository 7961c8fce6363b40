import { formatDoctorReport, runDoctorReport } from '../engine/index.js';
import type { CommandContext } from './context.js';

/** `doctor [--json]`: exit 1 when something blocks the lessons. */
export const doctorCommand = async (ctx: CommandContext, options: { dir?: string; json: boolean }): Promise<number> => {
  const report = await runDoctorReport(ctx.signal);
  if (options.json) ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else ctx.stdout.write(`${await formatDoctorReport(report, ctx.lang, ctx.color)}\n`);
  return report.blocking ? 1 : 0;
};
