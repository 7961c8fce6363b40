import { courseBaseImages } from '../engine/lessons/base-images.js';
import { formatDoctor, runDoctor } from '../engine/doctor/index.js';
import { getCourse, type CommandContext } from './context.js';

/** `doctor [--json]`: exit 1 when something blocks the lessons. */
export const doctorCommand = async (ctx: CommandContext, options: { dir?: string; json: boolean }): Promise<number> => {
  const baseImages = await courseBaseImages(await getCourse());
  const report = await runDoctor({ baseImages, signal: ctx.signal });
  if (options.json) ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else ctx.stdout.write(`${formatDoctor(report, ctx.lang, ctx.color)}\n`);
  return report.blocking ? 1 : 0;
};
