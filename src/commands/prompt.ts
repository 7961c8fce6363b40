import { createInterface } from 'node:readline/promises';
import { L, tr, type Localized } from '../engine/i18n.js';
import { UserError } from '../engine/errors.js';
import type { CommandContext } from './context.js';

/**
 * Asks a yes/no question on a TTY. Without a TTY it never waits: the command must be given --yes,
 * so scripts and CI never hang on a prompt.
 */
export const confirm = async (ctx: CommandContext, question: Localized, yes: boolean, defaultYes = false): Promise<boolean> => {
  if (yes) return true;
  if (!ctx.interactive) {
    throw new UserError(L(`${question.en} (not asked: no terminal)`, `${question['zh-CN']}（没有终端，无法询问）`), {
      next: L('Run the command again with --yes to confirm.', '加上 --yes 重新运行以确认。'),
    });
  }
  const rl = createInterface({ input: process.stdin, output: ctx.stdout });
  try {
    const answer = (await rl.question(`${tr(question, ctx.lang)} ${defaultYes ? '[Y/n]' : '[y/N]'} `)).trim().toLowerCase();
    if (!answer) return defaultYes;
    return answer === 'y' || answer === 'yes' || answer === '是';
  } finally {
    rl.close();
  }
};
