import { createInterface } from 'node:readline/promises';
import { L, UserError, tr, type Localized } from '../engine/index.js';
import type { CommandContext } from './context.js';

const YES = new Set(['y', 'yes', '是', '是的', '好']);
const NO = new Set(['n', 'no', '否', '不', '不是']);

/**
 * Asks a yes/no question on a TTY. Without a TTY it never waits: the command must be given --yes,
 * so scripts and CI never hang on a prompt.
 */
export const confirm = async (ctx: CommandContext, question: Localized, yes: boolean, defaultYes = false): Promise<boolean> => {
  if (yes) return true;
  if (!ctx.interactive) {
    // Worded in the command's language (the workspace's, when it has one): the top-level handler
    // that prints the error only knows the language of the command line.
    const inLang = (text: Localized): Localized => L(tr(text, ctx.lang), tr(text, ctx.lang));
    throw new UserError(inLang(L(`${question.en} (not asked: no terminal)`, `${question['zh-CN']}（没有终端，无法询问）`)), {
      next: inLang(L('Run the command again with --yes to confirm.', '加上 --yes 重新运行以确认。')),
    });
  }
  // The question goes through the terminal-safe sink (it may quote a --dir path). No readline
  // terminal mode: the terminal's own line editing is enough for y/n, and Ctrl-C stays a real SIGINT
  // (raw mode would swallow it) so the CLI ends at the first one.
  ctx.stdout.write(`${tr(question, ctx.lang)} ${defaultYes ? '[Y/n]' : '[y/N]'} `);
  const rl = createInterface({ input: process.stdin, terminal: false });
  try {
    // A typo ("yse") is asked again, not taken for no: the learner meant something.
    for (let asked = 1; ; asked += 1) {
      const answer = (await rl.question('', { signal: ctx.signal })).trim().toLowerCase();
      if (!answer) return defaultYes;
      if (YES.has(answer)) return true;
      if (NO.has(answer) || asked === 3) return false;
      ctx.stdout.write(`${tr(L(`Please answer y or n:`, '请回答 y 或 n：'), ctx.lang)} `);
    }
  } finally {
    rl.close();
  }
};
