import { s, type Infer } from '../../util/schema.js';
import { L } from '../../i18n.js';
import { outcome } from '../outcome.js';
import { defineCheck } from '../define.js';

export const fileContainsParams = s
  .object({
    path: s.string().min(1),
    /** JavaScript regular expression, matched with the "m" flag. */
    pattern: s.string().min(1),
    /** What the pattern stands for, shown to the learner instead of the raw regex. */
    title: s.string().min(1).optional(),
  })
  .strict();
type FileContainsParams = Infer<typeof fileContainsParams>;

/** Supplementary text check; lessons never rely on it alone for a behaviour. */
export const fileContains = defineCheck({
  id: 'file.contains',
  kind: 'static',
  title: L('A file contains what the lesson asks', '文件包含本课要求的内容'),
  params: fileContainsParams,
  run: async (ctx, params: FileContainsParams) => {
    let regex: RegExp;
    try {
      regex = new RegExp(params.pattern, 'm');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return outcome(
        'error',
        L(
          `The lesson's pattern for ${params.path} is not a valid regular expression: ${reason}`,
          `本课为 ${params.path} 设置的模式不是有效的正则表达式：${reason}`,
        ),
      );
    }
    const what = params.title ?? params.pattern;
    const text = await ctx.files.read(params.path);
    if (text === undefined)
      return outcome('fail', L(`${params.path} does not exist; create it with ${what}.`, `${params.path} 不存在；请创建它并写入 ${what}。`));
    const match = regex.exec(text);
    if (!match) return outcome('fail', L(`${params.path} does not contain ${what}.`, `${params.path} 中没有 ${what}。`));
    const line = text.slice(0, match.index).split('\n').length;
    return outcome('pass', L(`${params.path} line ${line} has ${what}.`, `${params.path} 第 ${line} 行包含 ${what}。`));
  },
});
